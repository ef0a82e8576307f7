import { Annotation, MessagesAnnotation } from "@langchain/langgraph";
import type { RouteDecision, Verdict } from "./schemas.js";

/**
 * Where the route came from: the model's decision, a fallback when that was unreadable, no tools
 * at all, or `routing: "tools"` in the graph's options.
 */
export type RouteSource = "model" | "fallback" | "no-tools" | "config";

export interface RouteState extends RouteDecision {
  source: RouteSource;
}

export interface ValidationState extends Verdict {
  /** How many verdicts this turn produced (1, or 2 after the retry). */
  attempts: number;
  /** False when the verdict could not be read; such a verdict never triggers a retry. */
  readable: boolean;
}

/** A question too long for the context: what the model was sent instead of the whole of it. */
export interface QuestionCut {
  /** Tokens of the question as asked, and as sent (its start and end, with a marker between). */
  fromTokens: number;
  toTokens: number;
  contextSize: number;
}

/** Why the turn ended: a normal answer, or the tool-round cap forced the answer. */
export type StopReason = "answered" | "tool_round_cap";

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

export type NodeName = "route" | "agent" | "tools" | "validate" | "respond";

export interface RunMetrics {
  usage: TokenUsage;
  /** Wall time per node, summed over the turn, and the sum of all nodes. */
  timingsMs: Record<NodeName | "total", number>;
  modelCalls: number;
}

export interface ToolCallSummary {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export interface ToolResultSummary {
  id: string;
  name: string;
  status: "success" | "error";
  content: string;
  ms: number;
}

interface StepBase {
  ms: number;
  usage?: TokenUsage;
}

/** One entry per node run in the current turn: what `--verbose` and `hearth demo` print. */
export type TraceStep =
  | (StepBase & { node: "route"; route: RouteState })
  | (StepBase & {
      node: "agent";
      round: number;
      mode: AgentMode;
      toolCalls: ToolCallSummary[];
      content: string;
    })
  | (StepBase & { node: "tools"; round: number; results: ToolResultSummary[] })
  | (StepBase & { node: "validate"; verdict: ValidationState })
  | (StepBase & { node: "respond"; stopReason: StopReason; generated: boolean });

/**
 * What the agent node was asked to do: propose calls (the first round forced after a "tools"
 * route), continue freely, rewrite after a failed validation, or answer because the cap was hit.
 */
export type AgentMode = "first" | "continue" | "retry" | "capped";

const lastValue = <T>(initial: () => T) =>
  Annotation<T>({ reducer: (_current: T, update: T) => update, default: initial });

export const emptyMetrics = (): RunMetrics => ({
  usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
  timingsMs: { route: 0, agent: 0, tools: 0, validate: 0, respond: 0, total: 0 },
  modelCalls: 0,
});

/**
 * The graph's state. Everything but `messages` describes the current turn and is reset by the
 * route node when a new turn starts; `messages` accumulates across turns of a thread.
 */
export const AgentState = Annotation.Root({
  ...MessagesAnnotation.spec,
  routing: lastValue<RouteState | null>(() => null),
  toolRounds: lastValue<number>(() => 0),
  validation: lastValue<ValidationState | null>(() => null),
  stopReason: lastValue<StopReason | null>(() => null),
  /**
   * Id of the oldest message still sent to the model. Moving it only when the budget overflows
   * (and then well below the budget) keeps the prompt prefix identical across many steps.
   */
  historyStartId: lastValue<string | null>(() => null),
  /**
   * Set when this turn's question was too long for the model's context and was sent cut to its
   * start and end (the thread keeps it whole); apps and `hearth ask` show it.
   */
  questionCut: lastValue<QuestionCut | null>(() => null),
  metrics: lastValue<RunMetrics>(emptyMetrics),
  trace: lastValue<TraceStep[]>(() => []),
});

export type AgentStateType = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;
