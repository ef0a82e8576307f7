import type { ArchitectureNumbers, SizeAccuracy } from "./types.js";

export type EmbeddingModelId =
  | "qwen3-embedding-0.6b"
  | "nomic-embed-text-v1.5"
  | "bge-small-en-v1.5";

export interface EmbeddingCatalogEntry {
  id: EmbeddingModelId;
  /** The release's real name. */
  name: string;
  parameters: number;
  license: string;
  /** Vector size. */
  dimensions: number;
  /** The GGUF's `pooling_type`, which llama.cpp applies. */
  pooling: "mean" | "cls" | "last";
  /** Tokens one input may have, as trained. */
  maxTokens: number;
  /** Text the model card asks to put before queries / documents, if any. */
  prefixes?: { query: string; document: string };
  architecture: ArchitectureNumbers;
  /** The Q8_0 file: embedding models are small, so Hearth does not offer lower quantizations. */
  file: {
    uri: string;
    repo: string;
    file: string;
    sizeBytes: number;
    sizeAccuracy: SizeAccuracy;
    sizeSource: string;
  };
  source: string;
}

// Q8_0 stores 32 weights in 34 bytes (8.5 bits each); where no byte count of the file was found,
// the size is parameters × 8.5 / 8 and marked "estimated".
const Q8_BYTES_PER_WEIGHT = 34 / 32;
const q8Estimate = (parameters: number) => Math.round(parameters * Q8_BYTES_PER_WEIGHT);
const ESTIMATE_NOTE = "parameters × 8.5 bits (Q8_0); no byte count of the file was found";

export const EMBEDDING_CATALOG: readonly EmbeddingCatalogEntry[] = [
  {
    id: "qwen3-embedding-0.6b",
    name: "Qwen3-Embedding-0.6B",
    parameters: 595_776_512,
    license: "Apache-2.0",
    dimensions: 1024,
    pooling: "last",
    maxTokens: 32_768,
    // Queries carry a one-line task instruction; documents go in as they are.
    prefixes: {
      query:
        "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:",
      document: "",
    },
    architecture: {
      ggufArchitecture: "qwen3",
      layers: 28,
      attentionHeads: 16,
      kvHeads: 8,
      headDim: 128,
      embeddingLength: 1024,
      vocabSize: 151_669,
      nativeContext: 32_768,
    },
    file: {
      uri: "hf:Qwen/Qwen3-Embedding-0.6B-GGUF/Qwen3-Embedding-0.6B-Q8_0.gguf",
      repo: "Qwen/Qwen3-Embedding-0.6B-GGUF",
      file: "Qwen3-Embedding-0.6B-Q8_0.gguf",
      sizeBytes: q8Estimate(595_776_512),
      sizeAccuracy: "estimated",
      sizeSource: ESTIMATE_NOTE,
    },
    source: "https://huggingface.co/Qwen/Qwen3-Embedding-0.6B",
  },
  {
    id: "nomic-embed-text-v1.5",
    name: "nomic-embed-text-v1.5",
    parameters: 137_000_000,
    license: "Apache-2.0",
    dimensions: 768,
    pooling: "mean",
    // Trained for 8,192; the GGUF card notes llama.cpp defaults to 2,048 without RoPE scaling.
    maxTokens: 8192,
    prefixes: { query: "search_query: ", document: "search_document: " },
    architecture: {
      ggufArchitecture: "nomic-bert",
      layers: 12,
      attentionHeads: 12,
      kvHeads: 12,
      headDim: 64,
      embeddingLength: 768,
      vocabSize: 30_522,
      nativeContext: 2048,
    },
    file: {
      uri: "hf:nomic-ai/nomic-embed-text-v1.5-GGUF/nomic-embed-text-v1.5.Q8_0.gguf",
      repo: "nomic-ai/nomic-embed-text-v1.5-GGUF",
      file: "nomic-embed-text-v1.5.Q8_0.gguf",
      sizeBytes: q8Estimate(137_000_000),
      sizeAccuracy: "estimated",
      sizeSource: `${ESTIMATE_NOTE}; 137M parameters as the model card rounds them`,
    },
    source: "https://huggingface.co/nomic-ai/nomic-embed-text-v1.5",
  },
  {
    id: "bge-small-en-v1.5",
    name: "bge-small-en-v1.5",
    parameters: 33_400_000,
    license: "MIT",
    dimensions: 384,
    pooling: "cls",
    maxTokens: 512,
    prefixes: {
      query: "Represent this sentence for searching relevant passages: ",
      document: "",
    },
    architecture: {
      ggufArchitecture: "bert",
      layers: 12,
      attentionHeads: 12,
      kvHeads: 12,
      headDim: 32,
      embeddingLength: 384,
      vocabSize: 30_522,
      nativeContext: 512,
    },
    file: {
      uri: "hf:ChristianAzinn/bge-small-en-v1.5-gguf/bge-small-en-v1.5.Q8_0.gguf",
      repo: "ChristianAzinn/bge-small-en-v1.5-gguf",
      file: "bge-small-en-v1.5.Q8_0.gguf",
      sizeBytes: q8Estimate(33_400_000),
      sizeAccuracy: "estimated",
      sizeSource: `${ESTIMATE_NOTE}; 33.4M parameters as the model card rounds them`,
    },
    source: "https://huggingface.co/BAAI/bge-small-en-v1.5",
  },
];

export function embeddingCatalogEntry(id: string): EmbeddingCatalogEntry {
  const wanted = id.trim().toLowerCase();
  const found = EMBEDDING_CATALOG.find(
    (entry) => entry.id === wanted || entry.name.toLowerCase() === wanted,
  );
  if (!found) {
    throw new Error(
      `Unknown embedding model "${id}". Known: ${EMBEDDING_CATALOG.map((entry) => entry.id).join(", ")}.`,
    );
  }
  return found;
}
