import { statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineTool } from "../../define-tool.js";
import {
  buildDocumentIndex,
  type DocumentIndex,
  type DocumentIndexOptions,
  type SearchHit,
} from "./search.js";

export interface SearchDocumentsToolOptions extends DocumentIndexOptions {
  /** A folder of .md/.markdown/.txt files (searched recursively; read once, on first use). */
  folder: string;
  /** Passages returned when the model does not ask for a number. */
  defaultK?: number;
  /** Each passage is cut to this many characters in the tool's answer. */
  maxSnippetChars?: number;
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
      index ??= buildDocumentIndex(folder, options).catch((error: unknown) => {
        index = undefined;
        throw error;
      });
      const loaded = await index;
      if (loaded.passages.length === 0) {
        return [`No .md or .txt documents found in ${folder}.`, []];
      }
      const hits = await loaded.search(query, k ?? defaultK);
      if (hits.length === 0) {
        return [`No passage matches "${query}". Try other keywords.`, []];
      }
      return [formatHits(hits, maxChars), hits];
    },
  });
}
