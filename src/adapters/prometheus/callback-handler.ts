import { ToolMessage } from "@langchain/core/messages";
import {
  GraphRunObserver,
  type ObservedRun,
  type RunEnd,
  type ToolCallResult,
} from "../telemetry/index.js";
import type { HearthMetrics } from "./hearth-metrics.js";

/** Records LangChain runs into a HearthMetrics: use `metrics.callbacks` rather than building one. */
export class PrometheusCallbackHandler extends GraphRunObserver {
  name = "hearth_prometheus";

  constructor(private readonly metrics: HearthMetrics) {
    super();
  }

  protected override onRunEnd(run: ObservedRun, end: RunEnd): void {
    const m = this.metrics;
    switch (run.kind) {
      case "chat": {
        const model = run.request?.model ?? run.name;
        const response = end.response;
        const status = end.error ? "error" : response?.cached ? "cached" : "ok";
        m.modelCallDuration.observe(
          { model, node: run.node ?? "none", status },
          end.durationSeconds,
        );
        // A cached answer repeats the usage of the call that produced it: nothing was processed.
        if (!response || response.cached) return;
        if (response.inputTokens) m.modelTokens.inc({ model, type: "input" }, response.inputTokens);
        if (response.outputTokens)
          m.modelTokens.inc({ model, type: "output" }, response.outputTokens);
        if (response.cachedInputTokens) {
          m.modelTokens.inc({ model, type: "cached" }, response.cachedInputTokens);
        }
        if (response.queueSeconds !== undefined)
          m.queueWait.observe({ model }, response.queueSeconds);
        if (response.evaluatedPromptTokens !== undefined && response.promptTokens !== undefined) {
          m.promptTokens.inc({ model, source: "evaluated" }, response.evaluatedPromptTokens);
          m.promptTokens.inc(
            { model, source: "reused" },
            response.promptTokens - response.evaluatedPromptTokens,
          );
        }
        return;
      }
      case "tool": {
        const failed =
          end.error !== undefined ||
          (ToolMessage.isInstance(end.output) && end.output.status === "error");
        m.toolDuration.observe(
          { tool: run.name, status: failed ? "error" : "ok" },
          end.durationSeconds,
        );
        return;
      }
      case "node":
        m.nodeDuration.observe({ node: run.name }, end.durationSeconds);
        return;
      case "agent":
        if (!end.turn) return;
        m.graphTurns.inc({
          route: end.turn.route,
          stop_reason: end.turn.stopReason,
          validation: end.turn.validation,
        });
        m.graphToolRounds.observe(end.turn.toolRounds);
        return;
    }
  }

  protected override onToolCall(result: ToolCallResult): void {
    this.metrics.toolCalls.inc({ tool: result.tool, outcome: result.outcome });
    if (result.repaired) this.metrics.toolRepairs.inc({ tool: result.tool });
  }
}
