// Function-calling evaluation: suites, BFCL import, BFCL-style scoring, the runner and its reports.
export {
  bfclSchemaToJsonSchema,
  importBfcl,
  isBfclQuestion,
  readBfclFiles,
} from "./bfcl/index.js";
export { BUILTIN_EVAL_TOOLS, builtinSuite } from "./builtin-suite/index.js";
export { loadSuite } from "./load-suite.js";
export { describeModelForReport, flattenMetadata } from "./model-info.js";
export {
  renderComparisonHtml,
  renderComparisonMarkdown,
  renderComparisonTerminal,
  renderHtml,
  renderMarkdown,
  renderTerminalTable,
  type WrittenComparison,
  type WrittenReports,
  writeComparison,
  writeReports,
} from "./report/index.js";
export { restrictSuiteToTools } from "./restrict-suite.js";
export {
  type BackendFigures,
  type CaseResult,
  type CategoryFigures,
  type CategorySummary,
  type ComparedBackend,
  type ComparisonReport,
  type EvalChatModel,
  type EvalMode,
  type EvalProgress,
  type EvalReport,
  type EvalSummary,
  type EvalToolChoice,
  type ModelInfo,
  type RunComparisonOptions,
  type RunEvalOptions,
  runComparison,
  runEval,
  selectCases,
  summarize,
} from "./runner/index.js";
export {
  checkCall,
  checkReferenceCalls,
  type EmittedCall,
  formatCall,
  formatCalls,
  formatExpected,
  matchCallSet,
  type ReferenceCallCheck,
  referenceCall,
  renderReferenceCheck,
  scoreCalls,
  standardizeString,
  validateCallSchema,
} from "./scoring/index.js";
export {
  EVAL_CATEGORIES,
  type EvalCase,
  type EvalCategory,
  type EvalSuite,
  type EvalTool,
  type Expected,
  type ExpectedCall,
  type GraphExpectation,
  parseSuiteJsonl,
  readSuiteFile,
  SuiteFormatError,
  type SuiteMessage,
  suiteToJsonl,
} from "./suite-format/index.js";
