import type { BaseMessage } from "@langchain/core/messages";
import { isAIMessage } from "@langchain/core/messages";
import {
  type AgentStateType,
  emptyMetrics,
  type RunMetrics,
  type TokenUsage,
  type TraceStep,
} from "./state.js";

/** Token usage a chat model reported on its reply (`usage_metadata`), if any. */
export function usageOf(message: BaseMessage | null | undefined): TokenUsage | undefined {
  if (!message || !isAIMessage(message) || !message.usage_metadata) return undefined;
  const { input_tokens, output_tokens, total_tokens } = message.usage_metadata;
  return { input_tokens, output_tokens, total_tokens };
}

/**
 * Adds one node run to the turn's trace and metrics. Nodes of this graph run one at a time, so a
 * read-modify-write of these two fields is safe; `fresh` starts a new turn.
 */
export function recordStep(
  state: Pick<AgentStateType, "metrics" | "trace">,
  step: TraceStep,
  options: { fresh?: boolean; modelCalls?: number } = {},
): { metrics: RunMetrics; trace: TraceStep[] } {
  const base = options.fresh ? emptyMetrics() : state.metrics;
  const usage = step.usage;
  const metrics: RunMetrics = {
    usage: {
      input_tokens: base.usage.input_tokens + (usage?.input_tokens ?? 0),
      output_tokens: base.usage.output_tokens + (usage?.output_tokens ?? 0),
      total_tokens: base.usage.total_tokens + (usage?.total_tokens ?? 0),
    },
    timingsMs: {
      ...base.timingsMs,
      [step.node]: base.timingsMs[step.node] + step.ms,
      total: base.timingsMs.total + step.ms,
    },
    modelCalls: base.modelCalls + (options.modelCalls ?? 0),
  };
  const trace = options.fresh ? [step] : [...state.trace, step];
  return { metrics, trace };
}

export function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
