export { buildToolCallSchema, type ToolCallSchemaOptions } from "./call-schema.js";
export { type ClosedJson, closeJson, minimalJson } from "./close-json.js";
export { type CompiledToolSchema, compileTool } from "./compile-tool.js";
export {
  type CompiledTool,
  type CompiledToolSet,
  compileTools,
  documentedParams,
  type ResolvedToolCall,
} from "./compile-tools.js";
export {
  createJsonGrammar,
  getJsonGrammar,
  getToolCallGrammar,
  JsonGrammar,
  ToolCallGrammar,
  type ToolCallGrammarOptions,
} from "./grammar.js";
export { tightenJsonGrammar } from "./tighten-gbnf.js";
export type { RunnableTool, ToolLike } from "./tool-input.js";
export { assignModelNames, duplicateToolName, sanitizeToolName } from "./tool-names.js";
export type { ValidationResult } from "./validate.js";
