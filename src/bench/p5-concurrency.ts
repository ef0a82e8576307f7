import { batchDecodeRate } from "./batch-rate.js";
import { type BenchContext, runTurn } from "./context.js";
import { questions } from "./fixtures.js";
import { formatRatio } from "./report.js";
import { ms, round } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

interface Phase {
  runs: number;
  wallMs: number;
  outputTokens: number;
  evaluatedPromptTokens: number;
}

async function phase(context: BenchContext, texts: string[], concurrent: boolean): Promise<Phase> {
  const before = { ...context.chat.tokenMeter };
  const started = performance.now();
  if (concurrent) {
    await Promise.all(texts.map((text) => runTurn(context.oneRoundGraph, text)));
  } else {
    for (const text of texts) await runTurn(context.oneRoundGraph, text);
  }
  const meter = context.chat.tokenMeter;
  return {
    runs: texts.length,
    wallMs: performance.now() - started,
    outputTokens: meter.outputTokens - before.outputTokens,
    evaluatedPromptTokens: meter.evaluatedPromptTokens - before.evaluatedPromptTokens,
  };
}

const runsPerSecond = (p: Phase) => (p.runs / p.wallMs) * 1000;

const BATCH_TOKENS = 32;

/**
 * P5: graph runs per second with 4 and with 8 runs in flight on one loaded model (one context,
 * a sequence each, batched by node-llama-cpp) ÷ runs per second one after another. Every run
 * asks a different question, so no run finds another's whole prompt in a cache.
 */
export async function benchConcurrency(context: BenchContext): Promise<BenchRow[]> {
  const serial = await phase(context, questions(4, 0), false);
  const four = await phase(context, questions(4, 4), true);
  const eight = context.quick ? undefined : await phase(context, questions(8, 8), true);
  // Again ×4 with prefix snapshots: one sequence evaluates the shared system + tools prefix,
  // the others copy it within the KV cache instead of evaluating it each.
  context.runtime.prefixes = context.prefixes;
  let fourSnapshots: Phase;
  try {
    fourSnapshots = await phase(context, questions(4, 16), true);
  } finally {
    context.runtime.prefixes = undefined;
  }
  const serialRate = runsPerSecond(serial);
  const bareOne = await batchDecodeRate(context.runtime, 1, BATCH_TOKENS);
  const bare = new Map<number, number>();
  for (const count of context.quick ? [4] : [4, 8])
    bare.set(count, await batchDecodeRate(context.runtime, count, BATCH_TOKENS));
  const describe = (p: Phase) => ({
    runs: p.runs,
    wallMs: ms(p.wallMs),
    runsPerS: round(runsPerSecond(p), 3),
    generatedTokPerS: round((p.outputTokens / p.wallMs) * 1000, 1),
    evaluatedPromptTokens: p.evaluatedPromptTokens,
  });
  const serialFigures = describe(serial);
  const rows: BenchRow[] = [];
  const phases: Array<[number, Phase, boolean]> = [
    [4, four, false],
    ...(eight ? [[8, eight, false] as [number, Phase, boolean]] : []),
    [4, fourSnapshots, true],
  ];
  for (const [count, p, snapshots] of phases) {
    const figures = describe(p);
    rows.push(
      row({
        id: "P5",
        name: `P5 concurrency ×${count}${snapshots ? " with prefix snapshots" : ""}`,
        ratioOf: `runs/s with ${count} graph runs in flight ÷ runs/s one at a time`,
        ratio: ratioOf(runsPerSecond(p), serialRate),
        goal: count === 4 ? { op: ">=", value: 2.5 } : undefined,
        figures: {
          ...Object.fromEntries(
            Object.entries(figures).map(([key, value]) => [`concurrent.${key}`, value]),
          ),
          ...Object.fromEntries(
            Object.entries(serialFigures).map(([key, value]) => [`serial.${key}`, value]),
          ),
          bareDecodeTokPerS1: round(bareOne, 1),
          [`bareDecodeTokPerS${count}`]: round(bare.get(count) ?? Number.NaN, 1),
          bareBatchSpeedup: ratioOf(bare.get(count) ?? Number.NaN, bareOne),
        },
        notes: [
          `${context.model.sequences} context sequences; route → 1 tool round → answer per run${snapshots ? "; prefix snapshots on (serial baseline without)" : ""}`,
          `ceiling: node-llama-cpp alone decodes ${count} sequences at once ${formatRatio(ratioOf(bare.get(count) ?? Number.NaN, bareOne))}× as fast as one (bareBatchSpeedup)`,
        ],
      }),
    );
  }
  return rows;
}
