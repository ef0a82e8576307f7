import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

/** How much of a folder the document loader reads at most. */
export interface DocumentLimits {
  /** Documents read. Default 5000. */
  maxFiles?: number;
  /** Bytes of documents read, in all. Default 64 MiB. */
  maxBytes?: number;
  /** Folder levels below the root that are entered (0: the root only). Default 12. */
  maxDepth?: number;
  /** Directory entries looked at, documents or not, so a walk of `/` ends. Default 200 000. */
  maxEntries?: number;
}

export const DEFAULT_DOCUMENT_LIMITS: Required<DocumentLimits> = {
  maxFiles: 5000,
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 12,
  maxEntries: 200_000,
};

export interface SkippedEntry {
  /** Path relative to the folder, with forward slashes. */
  path: string;
  reason: string;
}

/**
 * What a load read and what it left out; `stopped` names the limit that ended it early (files
 * that do not fit `maxBytes` are skipped one by one, so smaller ones after them still load).
 */
export interface DocumentWalkReport {
  folder: string;
  files: number;
  bytes: number;
  /** The first entries left out (at most 100); `skippedCount` counts all of them. */
  skipped: SkippedEntry[];
  skippedCount: number;
  stopped?: "maxFiles" | "maxEntries";
  limits: Required<DocumentLimits>;
}

export interface LoadedDocument {
  source: string;
  content: string;
}

const EXTENSIONS = new Set([".md", ".markdown", ".txt"]);
const MAX_SKIPPED_LISTED = 100;

const errorReason = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code ? `unreadable (${code})` : `unreadable (${String(error)})`;
};

/**
 * Reads every .md/.markdown/.txt file under `folder` (hidden entries and symbolic links left
 * alone, so no loop and no walk out of the folder), within `limits`: what cannot be read is
 * skipped and reported, not thrown, so one unreadable subfolder (EACCES, /proc) does not fail the
 * whole search. Breadth first, so a limit keeps the documents nearest the root. Written by hand
 * because `readdir({ recursive: true })` fails as a whole on the first unreadable folder and
 * has no bounds.
 */
export async function readDocuments(
  folder: string,
  limits: DocumentLimits = {},
): Promise<{ documents: LoadedDocument[]; report: DocumentWalkReport }> {
  const bounds = { ...DEFAULT_DOCUMENT_LIMITS, ...limits };
  const report: DocumentWalkReport = {
    folder,
    files: 0,
    bytes: 0,
    skipped: [],
    skippedCount: 0,
    limits: bounds,
  };
  const skip = (relative: string, reason: string) => {
    report.skippedCount += 1;
    if (report.skipped.length < MAX_SKIPPED_LISTED)
      report.skipped.push({ path: relative.split(path.sep).join("/") || ".", reason });
  };
  const documents: LoadedDocument[] = [];
  let entries = 0;
  let level = [""];
  for (let depth = 0; level.length > 0 && report.stopped === undefined; depth++) {
    const next: string[] = [];
    for (const relative of level) {
      let found: Dirent[];
      try {
        found = await readdir(path.join(folder, relative), { withFileTypes: true });
      } catch (error) {
        skip(relative, errorReason(error));
        continue;
      }
      found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of found) {
        if (entry.name.startsWith(".") || entry.isSymbolicLink()) continue;
        if (++entries > bounds.maxEntries) {
          report.stopped = "maxEntries";
          break;
        }
        const child = path.join(relative, entry.name);
        if (entry.isDirectory()) {
          if (depth < bounds.maxDepth) next.push(child);
          else skip(child, `deeper than maxDepth ${bounds.maxDepth}`);
          continue;
        }
        if (!entry.isFile() || !EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
        if (report.files >= bounds.maxFiles) {
          report.stopped = "maxFiles";
          break;
        }
        const outcome = await readOne(path.join(folder, child), bounds.maxBytes - report.bytes);
        if ("reason" in outcome) {
          skip(child, outcome.reason);
          continue;
        }
        report.files += 1;
        report.bytes += outcome.bytes;
        documents.push({ source: child.split(path.sep).join("/"), content: outcome.content });
      }
      if (report.stopped !== undefined) break;
    }
    level = next;
  }
  documents.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  return { documents, report };
}

type ReadOutcome = { content: string; bytes: number } | { reason: string };

async function readOne(file: string, budget: number): Promise<ReadOutcome> {
  try {
    const { size } = await stat(file);
    if (size > budget) {
      return { reason: `does not fit maxBytes (${size} bytes, ${budget} left)` };
    }
    return { content: await readFile(file, "utf8"), bytes: size };
  } catch (error) {
    return { reason: errorReason(error) };
  }
}

/** One line for people and models: what was left out, and why; "" when nothing was. */
export function describeSkipped(report: DocumentWalkReport): string {
  const parts: string[] = [];
  if (report.skippedCount > 0) {
    const shown = report.skipped
      .slice(0, 3)
      .map((entry) => `${entry.path}: ${entry.reason}`)
      .join("; ");
    const more = report.skippedCount > 3 ? `; ${report.skippedCount - 3} more` : "";
    parts.push(
      `skipped ${report.skippedCount} entr${report.skippedCount === 1 ? "y" : "ies"} (${shown}${more})`,
    );
  }
  if (report.stopped !== undefined) {
    parts.push(
      `stopped at ${report.stopped} ${report.limits[report.stopped]} after ${report.files} documents`,
    );
  }
  return parts.length === 0 ? "" : `Documents in ${report.folder}: ${parts.join("; ")}.`;
}
