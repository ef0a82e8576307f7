import { type BenchContext, pathOf, runTurn } from "./context.js";
import { questions } from "./fixtures.js";
import { GenerateProbe } from "./probe.js";
import { ms, sum } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

/**
 * P1: wall time of `graph.invoke` (route → 1 tool round → answer) ÷ the time node-llama-cpp
 * itself spent in the same run generating those tokens from those prompts (every
 * `LlamaChat.generateResponse` call timed by a probe). The difference is LangGraph, LangChain,
 * Hearth's chat model, the tool and the checkpointer. The first run warms grammars and JIT;
 * the second is the one reported.
 */
export async function benchOverhead(context: BenchContext): Promise<BenchRow> {
  const [warmQuestion, question] = questions(2, 16);
  const probe = new GenerateProbe();
  const runs: Array<{
    wallMs: number;
    llamaMs: number;
    calls: number;
    path: string;
    tokens: number;
  }> = [];
  for (const text of [warmQuestion, question]) {
    probe.records.length = 0;
    probe.start();
    try {
      const { ms: wallMs, summary } = await runTurn(context.oneRoundGraph, text);
      runs.push({
        wallMs,
        llamaMs: probe.totalMs,
        calls: probe.records.length,
        path: pathOf(summary),
        tokens: sum(probe.records.map((record) => record.outputTokens)),
      });
    } finally {
      probe.stop();
    }
  }
  const [cold, warm] = runs;
  const ratio = ratioOf(warm.wallMs, warm.llamaMs);
  const notes = [
    `path: ${warm.path}`,
    "the probe times LlamaChat.generateResponse (prompt rendering, tokenizing, evaluation, sampling) inside the same run",
  ];
  if (!warm.path.startsWith("route:tools") || !warm.path.includes("1 tool round")) {
    notes.push("the random model did not take the route → 1 tool round path this time");
  }
  return row({
    id: "P1",
    name: "P1 orchestration overhead",
    ratioOf: "graph.invoke wall time ÷ node-llama-cpp generate time (same run)",
    ratio,
    goal: { op: "<=", value: 1.03 },
    figures: {
      graphMs: ms(warm.wallMs),
      nodeLlamaCppMs: ms(warm.llamaMs),
      overheadMs: ms(warm.wallMs - warm.llamaMs),
      modelCalls: warm.calls,
      generatedTokens: warm.tokens,
      coldRunRatio: ratioOf(cold.wallMs, cold.llamaMs),
      coldRunOverheadMs: ms(cold.wallMs - cold.llamaMs),
    },
    notes,
  });
}
