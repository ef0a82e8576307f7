// Function-calling evaluation: suites, BFCL import, BFCL-style scoring, the runner and its reports.
export { importBfcl, isBfclQuestion, readBfclFiles, sanitizeToolName } from "./bfcl/import.js";
export { bfclSchemaToJsonSchema } from "./bfcl/schema.js";
export { loadSuite } from "./load-suite.js";
export { describeModelFile, flattenMetadata } from "./model-info.js";
export {
  renderHtml,
  renderMarkdown,
  renderTerminalTable,
  type WrittenReports,
  writeReports,
} from "./report/index.js";
export {
  type CaseResult,
  type CategorySummary,
  type EvalChatModel,
  type EvalMode,
  type EvalProgress,
  type EvalReport,
  type EvalSummary,
  type EvalToolChoice,
  type ModelInfo,
  type RunEvalOptions,
  runEval,
  selectCases,
  summarize,
} from "./runner/index.js";
export {
  checkCall,
  type EmittedCall,
  formatCall,
  formatCalls,
  formatExpected,
  matchCallSet,
  scoreCalls,
  standardizeString,
  validateCallSchema,
} from "./scoring/index.js";
export { SuiteFormatError } from "./suite/errors.js";
export { parseSuiteJsonl, readSuiteFile, suiteToJsonl } from "./suite/jsonl.js";
export {
  EVAL_CATEGORIES,
  type EvalCase,
  type EvalCategory,
  type EvalSuite,
  type EvalTool,
  type Expected,
  type ExpectedCall,
  type GraphExpectation,
  type SuiteMessage,
} from "./suite/types.js";
export { BUILTIN_EVAL_TOOLS, builtinSuite } from "./suites/builtin/index.js";
