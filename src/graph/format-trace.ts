import type { TraceStep } from "./state.js";
import type { RunSummary } from "./summary.js";

const clip = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function describe(step: TraceStep, width: number): string[] {
  switch (step.node) {
    case "route":
      return [`${step.route.route} (${step.route.source}): ${clip(step.route.reason, width)}`];
    case "agent": {
      const head = `round ${step.round}, ${step.mode}`;
      if (step.toolCalls.length === 0)
        return [`${head}: draft ${JSON.stringify(clip(step.content, width))}`];
      return [
        `${head}: ${step.toolCalls.length} call${step.toolCalls.length === 1 ? "" : "s"}`,
        ...step.toolCalls.map((c) => `  → ${c.name} ${clip(JSON.stringify(c.args), width)}`),
      ];
    }
    case "tools":
      return [
        `round ${step.round} ran`,
        ...step.results.map(
          (r) =>
            `  ${r.status === "success" ? "✓" : "✗"} ${r.name} (${r.ms.toFixed(0)} ms): ${clip(r.content, width)}`,
        ),
      ];
    case "validate":
      return [
        `attempt ${step.verdict.attempts}: grounded=${step.verdict.grounded} complete=${step.verdict.complete}` +
          (step.verdict.critique ? ` — ${clip(step.verdict.critique, width)}` : ""),
      ];
    case "respond":
      return [`${step.stopReason}${step.generated ? " (answer generated here)" : ""}`];
  }
}

/** The turn's steps as terminal lines: node, time, tokens and what happened. */
export function formatTrace(trace: TraceStep[], options: { width?: number } = {}): string[] {
  const width = options.width ?? 100;
  const lines: string[] = [];
  for (const step of trace) {
    const tokens = step.usage ? ` ${step.usage.input_tokens}→${step.usage.output_tokens} tok` : "";
    const [first, ...rest] = describe(step, width);
    lines.push(
      `${step.node.padEnd(8)} ${step.ms.toFixed(0).padStart(6)} ms${tokens.padEnd(16)} ${first}`,
    );
    for (const line of rest) lines.push(`${" ".repeat(34)}${line}`);
  }
  return lines;
}

/** One line of totals for a finished turn. */
export function formatTotals(summary: RunSummary): string {
  const { usage, timingsMs } = summary;
  return `${summary.modelCalls} model calls, ${summary.rounds} tool round${summary.rounds === 1 ? "" : "s"}, ${usage.input_tokens} prompt + ${usage.output_tokens} output tokens, ${timingsMs.total.toFixed(0)} ms in the graph`;
}
