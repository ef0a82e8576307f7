import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface Passage {
  /** Path relative to the folder, with forward slashes. */
  source: string;
  /** The nearest Markdown heading above the passage ("" before the first one). */
  heading: string;
  text: string;
}

const EXTENSIONS = new Set([".md", ".markdown", ".txt"]);
const MAX_PASSAGE_CHARS = 1200;

/** Every .md/.markdown/.txt file under the folder (hidden entries skipped), sorted. */
export async function listDocuments(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => path.relative(folder, path.join(entry.parentPath ?? entry.path, entry.name)))
    .filter((relative) => !relative.split(path.sep).some((part) => part.startsWith(".")))
    .sort();
}

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

/** Every document of the folder with its text and passages. */
export async function loadDocumentFiles(folder: string): Promise<DocumentFile[]> {
  const files: DocumentFile[] = [];
  for (const relative of await listDocuments(folder)) {
    const content = await readFile(path.join(folder, relative), "utf8");
    const source = relative.split(path.sep).join("/");
    files.push({ source, content, passages: splitPassages(source, content) });
  }
  return files;
}

export async function loadPassages(folder: string): Promise<Passage[]> {
  return (await loadDocumentFiles(folder)).flatMap((file) => file.passages);
}
