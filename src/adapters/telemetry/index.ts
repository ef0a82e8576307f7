export { type GraphTurn, readGraphTurn } from "./graph-turn.js";
export {
  errorType,
  finishReason,
  type ModelRequest,
  type ModelResponse,
  modelLabel,
  readModelRequest,
  readModelResponse,
} from "./model-call.js";
export {
  GraphRunObserver,
  type ObservedRun,
  type RunEnd,
  type RunKind,
  type ToolCallOutcome,
  type ToolCallResult,
} from "./run-observer.js";
