import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { createCalculatorTool } from "./calculator/index.js";
import { createCurrentTimeTool } from "./current-time.js";
import {
  createSearchDocumentsTool,
  type SearchDocumentsToolOptions,
} from "./search-documents/index.js";

export * from "./calculator/index.js";
export {
  type CurrentTimeToolOptions,
  createCurrentTimeTool,
  currentTimeSchema,
  formatZonedTime,
  type ZonedTime,
} from "./current-time.js";
export * from "./search-documents/index.js";

export interface BuiltinToolsOptions {
  /** Adds `search_documents` over this folder. */
  docsFolder?: string;
  /** Makes `search_documents` hybrid (BM25 + vectors); needs `indexPath`. */
  embeddings?: EmbeddingsInterface;
  /** The SQLite file for the document vectors. */
  indexPath?: string;
  /** How much of `docsFolder` is read at most. */
  docsLimits?: SearchDocumentsToolOptions["limits"];
  /** Told what was read from `docsFolder` and what was left out. */
  onDocsLoad?: SearchDocumentsToolOptions["onLoad"];
}

/** The built-in tools for agentic RAG: calculator, current_time and (with a folder) search_documents. */
export function builtinTools(options: BuiltinToolsOptions = {}): StructuredToolInterface[] {
  const tools: StructuredToolInterface[] = [createCalculatorTool(), createCurrentTimeTool()];
  if (options.docsFolder !== undefined) {
    tools.push(
      createSearchDocumentsTool({
        folder: options.docsFolder,
        embeddings: options.embeddings,
        indexPath: options.indexPath,
        limits: options.docsLimits,
        onLoad: options.onDocsLoad,
      }),
    );
  }
  return tools;
}
