import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { BaseEmbedding, type MessageContentDetail } from "llamaindex";

/**
 * A LlamaIndex.TS `BaseEmbedding` over a LangChain `Embeddings` — with `HearthEmbeddings`, the
 * local GGUF embedding model: batches go to `embedDocuments` whole, queries to `embedQuery`
 * (so a model's query prefix applies), vectors unit length.
 */
export class HearthEmbedding extends BaseEmbedding {
  constructor(readonly embeddings: EmbeddingsInterface) {
    super();
    this.getTextEmbeddings = (texts: string[]) => this.embeddings.embedDocuments(texts);
  }

  async getTextEmbedding(text: string): Promise<number[]> {
    return (await this.embeddings.embedDocuments([text]))[0];
  }

  override async getQueryEmbedding(query: MessageContentDetail): Promise<number[] | null> {
    if (query.type !== "text") return null;
    return this.embeddings.embedQuery(query.text);
  }
}
