import { BM25Retriever } from "@langchain/community/retrievers/bm25";
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { type LoadOptions, loadDocumentFiles, type Passage, passageKey } from "./corpus.js";
import { reciprocalRankFusion } from "./rank-fusion.js";
import { indexText, queryText } from "./terms.js";
import type { SyncReport } from "./vector-store.js";

export interface SearchHit extends Passage {
  /** BM25 score (keyword search), or the fused reciprocal-rank score (hybrid search). */
  score: number;
  /** Hybrid search: the passage's rank (from 1) among the keyword and the vector candidates. */
  ranks?: { bm25?: number; vector?: number };
}

export interface DocumentIndex {
  readonly passages: readonly Passage[];
  /** "hybrid" with an embedding model, else "bm25". */
  readonly mode: "bm25" | "hybrid";
  /** Hybrid: what building the index re-embedded (only new and changed files). */
  readonly sync?: SyncReport;
  search(query: string, k: number): Promise<SearchHit[]>;
  close(): void;
}

export interface DocumentIndexOptions extends LoadOptions {
  /** Adds vector similarity, fused with BM25 by reciprocal rank. Without it: BM25 only. */
  embeddings?: EmbeddingsInterface;
  /** The SQLite file holding the vectors (created when missing). Required with `embeddings`. */
  indexPath?: string;
  /**
   * Names the embedding model, so an index built with another one is rebuilt. Default: the
   * instance's `modelPath` (HearthEmbeddings) or its class name.
   */
  embeddingModelId?: string;
  /** Candidates taken from each side before fusion (default 4 × k, at least 20). */
  candidates?: number;
}

function modelIdOf(embeddings: EmbeddingsInterface): string {
  const path = (embeddings as { modelPath?: unknown }).modelPath;
  return typeof path === "string" ? path : embeddings.constructor.name;
}

/**
 * Search over a folder's passages. Always BM25 (the file name and heading are indexed with the
 * text); with an embedding model also the nearest passage vectors from an on-disk sqlite-vec
 * index, the two rankings fused by reciprocal rank. Building the index re-embeds only files
 * whose content changed since the index was last written, and forgets deleted ones.
 */
export async function buildDocumentIndex(
  folder: string,
  options: DocumentIndexOptions = {},
): Promise<DocumentIndex> {
  const files = await loadDocumentFiles(folder, options);
  const passages: Passage[] = [];
  const keys: string[] = [];
  for (const file of files) {
    file.passages.forEach((passage, position) => {
      passages.push(passage);
      keys.push(passageKey(file.source, position));
    });
  }
  const documents = passages.map(
    (passage, index) =>
      new Document({
        pageContent: indexText(
          `${passage.source.replace(/\.[^.]+$/, "")} ${passage.heading} ${passage.text}`,
        ),
        metadata: { index },
      }),
  );
  // Passage indexes by BM25 score, best first (only passages sharing a word with the query).
  const rankByKeywords = async (
    query: string,
    k: number,
  ): Promise<Array<{ index: number; score: number }>> => {
    const terms = queryText(query);
    if (terms === "" || documents.length === 0) return [];
    const retriever = BM25Retriever.fromDocuments(documents, { k, includeScore: true });
    const found = await retriever.invoke(terms);
    return found
      .map((document) => ({
        index: document.metadata.index as number,
        score: document.metadata.bm25Score as number,
      }))
      .filter((hit) => hit.score > 0);
  };
  const keyword = async (query: string, k: number): Promise<SearchHit[]> =>
    (await rankByKeywords(query, k)).map(({ index, score }) => ({ ...passages[index], score }));

  const { embeddings } = options;
  if (!embeddings) {
    return { passages, mode: "bm25", search: keyword, close() {} };
  }
  if (!options.indexPath) {
    throw new Error(
      "search_documents: hybrid search keeps its vectors on disk; pass indexPath (a .sqlite file) with embeddings.",
    );
  }
  // Loaded only for hybrid search: keyword-only users never load the sqlite-vec extension.
  const { VectorStore } = await import("./vector-store.js");
  const store = new VectorStore(
    options.indexPath,
    options.embeddingModelId ?? modelIdOf(embeddings),
  );
  let sync: SyncReport;
  try {
    sync = await store.sync(files, embeddings);
  } catch (error) {
    store.close();
    throw error;
  }
  const byKey = new Map(keys.map((key, index) => [key, index]));
  return {
    passages,
    mode: "hybrid",
    sync,
    async search(query, k) {
      const pool = options.candidates ?? Math.max(20, 4 * k);
      const bm25 = await rankByKeywords(query, pool);
      const vector = store.nearest(await embeddings.embedQuery(query), pool);
      const keywordKeys = bm25.map((hit) => keys[hit.index]);
      const fused = reciprocalRankFusion([keywordKeys, vector.map((hit) => hit.key)]);
      return fused
        .filter((item) => byKey.has(item.key))
        .slice(0, k)
        .map((item) => ({
          ...passages[byKey.get(item.key)!],
          score: item.score,
          ranks: { bm25: item.ranks[0], vector: item.ranks[1] },
        }));
    },
    close() {
      store.close();
    },
  };
}
