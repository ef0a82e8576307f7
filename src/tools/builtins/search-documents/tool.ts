import { statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { checkNumberOption } from "../../../util/number-range.js";
import { defineTool } from "../../define-tool.js";
import {
  buildDocumentIndex,
  type DocumentIndex,
  type DocumentIndexOptions,
  type SearchHit,
} from "./search.js";
import { type DocumentWalkReport, describeSkipped } from "./walk.js";

export interface SearchDocumentsToolOptions extends DocumentIndexOptions {
  /** A folder of .md/.markdown/.txt files (searched recursively; read once, on first use). */
  folder: string;
  /** Passages returned when the model does not ask for a number. */
  defaultK?: number;
  /** Each passage is cut to this many characters in the tool's answer. */
  maxSnippetChars?: number;
  /**
   * Told, once the folder is read, what was read and what was left out (unreadable entries,
   * limits reached); the model is told too, in a line after the passages.
   */
  onLoad?: (report: DocumentWalkReport) => void;
}

export const searchDocumentsSchema = z.object({
  query: z.string().min(1).max(200).describe("Keywords to search for"),
  k: z.number().int().min(1).max(10).optional().describe("How many passages to return (1-10)"),
});

function snippet(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max).trimEnd()}…`;
}

function formatHits(hits: SearchHit[], maxChars: number): string {
  return hits
    .map((hit, index) => {
      const title = hit.heading ? `${hit.source} › ${hit.heading}` : hit.source;
      return `[${index + 1}] ${title}\n${snippet(hit.text, maxChars)}`;
    })
    .join("\n\n");
}

/**
 * `search_documents`: keyword (BM25) search over local documents — hybrid with vector
 * similarity when `embeddings` and `indexPath` are given — answering with the best passages and
 * their file names; the hits themselves are the message's artifact.
 */
export function createSearchDocumentsTool(options: SearchDocumentsToolOptions) {
  const folder = path.resolve(options.folder);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new Error(
      `search_documents: "${folder}" is not a folder. Pass the folder that holds your .md/.txt documents.`,
    );
  }
  for (const [name, value] of Object.entries(options.limits ?? {})) {
    checkNumberOption(`search_documents limits.${name}`, value, {
      integer: true,
      min: name === "maxDepth" ? 0 : 1,
    });
  }
  let skippedNote = "";
  const indexOptions = {
    ...options,
    onReport: (report: DocumentWalkReport) => {
      skippedNote = describeSkipped(report);
      options.onLoad?.(report);
    },
  };
  const withNote = (text: string) => (skippedNote ? `${text}\n\n(${skippedNote})` : text);
  const defaultK = options.defaultK ?? 4;
  const maxChars = options.maxSnippetChars ?? 600;
  let index: Promise<DocumentIndex> | undefined;
  return defineTool({
    name: "search_documents",
    description:
      "Searches the local documents by keywords and returns the most relevant passages with their file names. Use it for questions the documents may answer.",
    schema: searchDocumentsSchema,
    responseFormat: "content_and_artifact",
    func: async ({ query, k }): Promise<[string, SearchHit[]]> => {
      index ??= buildDocumentIndex(folder, indexOptions).catch((error: unknown) => {
        index = undefined;
        throw error;
      });
      const loaded = await index;
      if (loaded.passages.length === 0) {
        return [withNote(`No .md or .txt documents found in ${folder}.`), []];
      }
      const hits = await loaded.search(query, k ?? defaultK);
      if (hits.length === 0) {
        return [withNote(`No passage matches "${query}". Try other keywords.`), []];
      }
      return [withNote(formatHits(hits, maxChars)), hits];
    },
  });
}
