export {
  type BackendFigures,
  type CategoryFigures,
  type ComparedBackend,
  type ComparisonReport,
  categoryFigures,
  type RunComparisonOptions,
  runComparison,
} from "./compare.js";
export { toLangChainMessages } from "./messages.js";
export { runEval } from "./run-eval.js";
export { selectCases } from "./select.js";
export { percentile } from "./stats.js";
export { DEFAULT_STUB_RESULT, stubTools } from "./stub-tools.js";
export { summarize } from "./summarize.js";
export type {
  CaseResult,
  CategorySummary,
  EvalChatModel,
  EvalMode,
  EvalProgress,
  EvalReport,
  EvalSummary,
  EvalToolChoice,
  ModelInfo,
  RouteResult,
  RunEvalOptions,
} from "./types.js";
