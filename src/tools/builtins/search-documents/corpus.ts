import { type DocumentLimits, type DocumentWalkReport, readDocuments } from "./walk.js";

export interface Passage {
  /** Path relative to the folder, with forward slashes. */
  source: string;
  /** The nearest Markdown heading above the passage ("" before the first one). */
  heading: string;
  text: string;
}

const MAX_PASSAGE_CHARS = 1200;

/** Splits a file at Markdown headings, then long sections at blank lines. */
export function splitPassages(source: string, content: string): Passage[] {
  const passages: Passage[] = [];
  let heading = "";
  let lines: string[] = [];
  const flush = () => {
    const section = lines.join("\n").trim();
    lines = [];
    if (section === "") return;
    let current = "";
    for (const paragraph of section.split(/\n\s*\n/)) {
      if (current !== "" && current.length + paragraph.length + 2 > MAX_PASSAGE_CHARS) {
        passages.push({ source, heading, text: current });
        current = "";
      }
      current = current === "" ? paragraph.trim() : `${current}\n\n${paragraph.trim()}`;
    }
    if (current !== "") passages.push({ source, heading, text: current });
  };
  for (const line of content.split(/\r?\n/)) {
    const match = /^#{1,6}\s+(.*)$/.exec(line);
    if (match) {
      flush();
      heading = match[1].trim();
      continue;
    }
    lines.push(line);
  }
  flush();
  return passages;
}

/** A passage's identity across runs: its file and its position in the file. */
export function passageKey(source: string, position: number): string {
  return `${source}#${position}`;
}

export interface DocumentFile {
  /** Path relative to the folder, with forward slashes. */
  source: string;
  content: string;
  passages: Passage[];
}

export interface LoadOptions {
  /** How much of the folder is read at most (files, bytes, depth, entries looked at). */
  limits?: DocumentLimits;
  /** Told what the load read and left out (unreadable entries, limits reached). */
  onReport?: (report: DocumentWalkReport) => void;
}

/** Every document of the folder with its text and passages, read by the bounded walk. */
export async function loadDocumentFiles(
  folder: string,
  options: LoadOptions = {},
): Promise<DocumentFile[]> {
  const { documents, report } = await readDocuments(folder, options.limits);
  options.onReport?.(report);
  return documents.map(({ source, content }) => ({
    source,
    content,
    passages: splitPassages(source, content),
  }));
}

export async function loadPassages(folder: string, options: LoadOptions = {}): Promise<Passage[]> {
  return (await loadDocumentFiles(folder, options)).flatMap((file) => file.passages);
}
