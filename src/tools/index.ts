export {
  type BuiltinToolsOptions,
  builtinTools,
  CALCULATOR_FUNCTIONS,
  CalculatorError,
  calculatorSchema,
  createCalculatorTool,
  createCurrentTimeTool,
  createSearchDocumentsTool,
  currentTimeSchema,
  type DocumentLimits,
  type DocumentWalkReport,
  evaluateExpression,
  formatZonedTime,
  type SearchDocumentsToolOptions,
  type SearchHit,
  searchDocumentsSchema,
} from "./builtins/index.js";
export {
  assignModelNames,
  buildToolCallSchema,
  type CompiledTool,
  type CompiledToolSchema,
  type CompiledToolSet,
  compileTool,
  compileTools,
  createJsonGrammar,
  duplicateToolName,
  getJsonGrammar,
  getToolCallGrammar,
  JsonGrammar,
  type ResolvedToolCall,
  type RunnableTool,
  sanitizeToolName,
  ToolCallGrammar,
  type ToolCallGrammarOptions,
  type ToolCallSchemaOptions,
  type ToolLike,
  tightenJsonGrammar,
  type ValidationResult,
} from "./compile/index.js";
export {
  type DefinedTool,
  type DefineToolOptions,
  defineTool,
  ToolTimeoutError,
} from "./define-tool.js";
export { executeToolCall } from "./execute.js";
export {
  type CheckedAfter,
  type GbnfJsonSchema,
  type JsonSchema,
  KEYWORD_RULES,
  type KeywordRule,
  type KeywordSupport,
  ToolDefinitionError,
} from "./schema/index.js";
export { type TimeLimit, withTimeLimit } from "./time-limit.js";
export { type CheckedOutput, checkToolOutput, withCheckedOutput } from "./tool-output.js";
