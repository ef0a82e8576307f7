import { BM25Retriever } from "@langchain/community/retrievers/bm25";
import { Document } from "@langchain/core/documents";
import { loadPassages, type Passage } from "./corpus.js";
import { indexText, queryText } from "./terms.js";

export interface SearchHit extends Passage {
  score: number;
}

export interface DocumentIndex {
  readonly passages: readonly Passage[];
  search(query: string, k: number): Promise<SearchHit[]>;
}

/** BM25 over a folder's passages; the file name and heading are indexed with the text. */
export async function buildDocumentIndex(folder: string): Promise<DocumentIndex> {
  const passages = await loadPassages(folder);
  const documents = passages.map(
    (passage, index) =>
      new Document({
        pageContent: indexText(
          `${passage.source.replace(/\.[^.]+$/, "")} ${passage.heading} ${passage.text}`,
        ),
        metadata: { index },
      }),
  );
  return {
    passages,
    async search(query, k) {
      const terms = queryText(query);
      if (terms === "" || documents.length === 0) return [];
      const retriever = BM25Retriever.fromDocuments(documents, { k, includeScore: true });
      const found = await retriever.invoke(terms);
      return found
        .map((document) => ({
          ...passages[document.metadata.index as number],
          score: document.metadata.bm25Score as number,
        }))
        .filter((hit) => hit.score > 0);
    },
  };
}
