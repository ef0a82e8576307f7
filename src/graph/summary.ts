import type { ToolMessage } from "@langchain/core/messages";
import { isToolMessage } from "@langchain/core/messages";
import { contentText, currentTurn, lastMessage, summarizeToolCalls } from "./messages.js";
import type {
  AgentStateType,
  QuestionCut,
  RouteState,
  RunMetrics,
  StopReason,
  TokenUsage,
  ValidationState,
} from "./state.js";

export interface ToolCallRecord {
  round: number;
  id: string;
  name: string;
  args: Record<string, unknown>;
  status: "success" | "error" | "not-run";
  result: string;
}

/** One turn of the graph as plain data: what `hearth ask --json` prints. */
export interface RunSummary {
  answer: string;
  route: RouteState | null;
  toolCalls: ToolCallRecord[];
  rounds: number;
  stopReason: StopReason | null;
  validation: ValidationState | null;
  usage: TokenUsage;
  timingsMs: RunMetrics["timingsMs"];
  modelCalls: number;
  /** Set when the question was too long for the context and the model saw it cut. */
  questionCut: QuestionCut | null;
}

/** Summarises the latest turn of a final graph state (the value `graph.invoke` returns). */
export function summarizeRun(state: AgentStateType): RunSummary {
  const turn = currentTurn(state.messages);
  const results = new Map<string, ToolMessage>();
  for (const message of turn)
    if (isToolMessage(message)) results.set(message.tool_call_id, message);
  const toolCalls: ToolCallRecord[] = [];
  let round = 0;
  for (const message of turn) {
    const calls = summarizeToolCalls(message);
    if (calls.length === 0) continue;
    round += 1;
    for (const call of calls) {
      const result = results.get(call.id);
      toolCalls.push({
        round,
        ...call,
        status: result ? (result.status === "error" ? "error" : "success") : "not-run",
        result: result ? contentText(result) : "",
      });
    }
  }
  return {
    answer: contentText(lastMessage(state.messages)),
    route: state.routing,
    toolCalls,
    rounds: state.toolRounds,
    stopReason: state.stopReason,
    validation: state.validation,
    usage: state.metrics.usage,
    timingsMs: state.metrics.timingsMs,
    modelCalls: state.metrics.modelCalls,
    questionCut: state.questionCut,
  };
}
