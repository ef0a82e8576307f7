export {
  type DocumentFile,
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
