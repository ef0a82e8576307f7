export { loadPassages, type Passage, splitPassages } from "./corpus.js";
export { buildDocumentIndex, type DocumentIndex, type SearchHit } from "./search.js";
export {
  createSearchDocumentsTool,
  type SearchDocumentsToolOptions,
  searchDocumentsSchema,
} from "./tool.js";
