export {
  type ActionRequest,
  type ApprovalDecision,
  type ApprovalDecisionType,
  type ApprovalRequest,
  type ApprovalResponse,
  type ApproveToolsOption,
  type ReviewConfig,
  toolNeedsApproval,
} from "./approval.js";
export { defaultThreadsFile, isPostgresUrl, openCheckpointer } from "./checkpointer.js";
export {
  type AgentGraph,
  type AgentGraphOptions,
  createAgentGraph,
  DEFAULT_MAX_TOOL_ROUNDS,
} from "./create-agent-graph.js";
export { formatTotals, formatTrace } from "./format-trace.js";
export { DEFAULT_SYSTEM_PROMPT } from "./prompts.js";
export { defaultMaxToolResultChars, type TruncatedResult } from "./result-cap.js";
export {
  ROUTE_TOOL_NAME,
  type RouteDecision,
  RouteDecisionSchema,
  VERDICT_TOOL_NAME,
  type Verdict,
  VerdictSchema,
} from "./schemas.js";
export {
  type AgentMode,
  AgentState,
  type AgentStateType,
  type RouteState,
  type RunMetrics,
  type StopReason,
  type TokenUsage,
  type TraceStep,
  type ValidationState,
} from "./state.js";
export { type RunSummary, summarizeRun, type ToolCallRecord } from "./summary.js";
export {
  closeCheckpointer,
  DEFAULT_THREAD_WAIT_MS,
  ThreadBusyError,
  type ThreadLock,
} from "./thread-lock.js";
export { ThreadStoreError } from "./thread-store-error.js";
export { DEFAULT_TOOL_TIMEOUT_MS, TimedToolNode } from "./tool-node.js";
