export { MODEL_CATALOG } from "./catalog.js";
export {
  EMBEDDING_CATALOG,
  type EmbeddingCatalogEntry,
  type EmbeddingModelId,
  embeddingCatalogEntry,
} from "./embedding-catalog.js";
export {
  catalogEntry,
  findCatalogEntry,
  findQuant,
  isQuantization,
  quantizationQuality,
} from "./lookup.js";
export {
  type ArchitectureNumbers,
  type BfclScores,
  type BfclSnapshot,
  type CatalogEntry,
  type CatalogQuant,
  QUANTIZATIONS,
  type Quantization,
  type SizeAccuracy,
  type TierName,
} from "./types.js";
