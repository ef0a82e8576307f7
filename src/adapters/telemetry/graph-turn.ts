import type { AgentStateType, RunMetrics } from "../../graph/index.js";

/** What Hearth's agent graph measured about one turn (its `metrics`, `routing`, … state fields). */
export interface GraphTurn {
  route: "direct" | "tools" | "none";
  toolRounds: number;
  stopReason: string;
  /** "accepted", "rejected" (the answer failed validation), "unreadable", or "skipped". */
  validation: "accepted" | "rejected" | "unreadable" | "skipped";
  modelCalls: number;
  usage: RunMetrics["usage"];
}

/**
 * Reads the final state a Hearth graph run returns; undefined for any other chain's output, so
 * the observers also work for graphs and chains that are not Hearth's.
 */
export function readGraphTurn(outputs: unknown): GraphTurn | undefined {
  const state = outputs as Partial<AgentStateType> | undefined;
  const metrics = state?.metrics;
  if (!metrics || typeof metrics !== "object" || !metrics.usage || !Array.isArray(state.trace)) {
    return undefined;
  }
  const validation = state.validation;
  return {
    route: state.routing?.route ?? "none",
    toolRounds: state.toolRounds ?? 0,
    stopReason: state.stopReason ?? "unknown",
    validation: !validation
      ? "skipped"
      : !validation.readable
        ? "unreadable"
        : validation.grounded && validation.complete
          ? "accepted"
          : "rejected",
    modelCalls: metrics.modelCalls,
    usage: metrics.usage,
  };
}
