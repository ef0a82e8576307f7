export {
  DEFAULT_EMBEDDING_CONTEXT_SIZE,
  type EmbeddingModelInfo,
  type EmbeddingResult,
  HearthEmbeddings,
  type HearthEmbeddingsInput,
} from "./embeddings.js";
export { EmbeddingInputError } from "./errors.js";
export { type EmbeddingPoolingType, modelPooling } from "./pooling.js";
export { cosineSimilarity, l2Normalize } from "./vectors.js";
