export {
  type DocumentFile,
  type LoadOptions,
  loadDocumentFiles,
  loadPassages,
  type Passage,
  splitPassages,
} from "./corpus.js";
export { type FusedItem, RRF_K, reciprocalRankFusion } from "./rank-fusion.js";
export {
  buildDocumentIndex,
  type DocumentIndex,
  type DocumentIndexOptions,
  type SearchHit,
} from "./search.js";
export {
  createSearchDocumentsTool,
  type SearchDocumentsToolOptions,
  searchDocumentsSchema,
} from "./tool.js";
export type { SyncReport } from "./vector-store.js";
export {
  DEFAULT_DOCUMENT_LIMITS,
  type DocumentLimits,
  type DocumentWalkReport,
  describeSkipped,
  type LoadedDocument,
  readDocuments,
  type SkippedEntry,
} from "./walk.js";
