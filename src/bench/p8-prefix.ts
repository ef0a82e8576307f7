import { rm } from "node:fs/promises";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { type BenchContext, clearSequences } from "./context.js";
import { longSystemPrompt } from "./prefix-prompt.js";
import { ms, round } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

/** Target prefix length (system + tool docs): the 2,000-token agent prompt. */
export const P8_PREFIX_TOKENS = 2000;

/**
 * P8: time to first token of a new thread whose system + tools prefix is snapshotted ÷ the
 * same with the prefix evaluated. A new thread = every sequence of the context emptied, so
 * nothing in memory holds the prefix: the snapshotted run restores it from the disk cache
 * (what a new process or a sequence that served other prompts meets). The in-context copy
 * (another sequence holds it) is timed beside it.
 */
export async function benchPrefixSnapshots(context: BenchContext): Promise<BenchRow> {
  const { runtime, chat } = context;
  const prefixes = context.prefixes;
  if (!prefixes) throw new Error("P8 needs the bench chat's prefix snapshots.");
  // An empty snapshot folder: the first snapshotted call evaluates and saves, the next restore.
  await rm(context.snapshotsDir, { recursive: true, force: true });
  const system = new SystemMessage(longSystemPrompt(runtime, P8_PREFIX_TOKENS));
  let question = 0;
  const firstToken = async (snapshots: boolean) => {
    runtime.prefixes = snapshots ? prefixes : undefined;
    await clearSequences(runtime);
    const started = performance.now();
    const reply = await chat.invoke(
      [system, new HumanMessage(`New thread ${++question}: what is the weather in Oslo?`)],
      { maxTokens: 1 },
    );
    const wall = performance.now() - started;
    const meta = reply.response_metadata as {
      prefix?: string;
      promptTokens: number;
      evaluatedPromptTokens: number;
    };
    return { wall, ...meta };
  };
  try {
    const first = await firstToken(true);
    const repetitions = context.quick ? 1 : 2;
    const evaluated: Awaited<ReturnType<typeof firstToken>>[] = [];
    const restored: Awaited<ReturnType<typeof firstToken>>[] = [];
    for (let index = 0; index < repetitions; index++) {
      evaluated.push(await firstToken(false));
      restored.push(await firstToken(true));
    }
    // One sequence holds the prefix now (the one that just restored it): into an empty one
    // it is a copy within llama.cpp's KV cache.
    const source = {
      history: [{ type: "system" as const, text: system.content as string }],
      functions: undefined,
      chatWrapper: runtime.chatWrapper,
    };
    const holder = runtime.pool.all.findIndex(
      (sequence) => sequence.contextTokens.length >= prefixes.prefixTokens(source).length,
    );
    const target = runtime.pool.all[(holder + 1) % runtime.pool.size];
    await target.clearHistory();
    const copyStarted = performance.now();
    const copyOutcome = await prefixes.prepare(target, runtime.pool.all, source);
    const copyMs = performance.now() - copyStarted;
    const best = (runs: typeof evaluated) => runs.reduce((a, b) => (b.wall < a.wall ? b : a));
    const e = best(evaluated);
    const r = best(restored);
    const prefixTokens = prefixes.prefixTokens(source).length;
    return row({
      id: "P8",
      name: "P8 prefix snapshot",
      ratioOf:
        "time to first token of a new thread, system + tools prefix restored from a snapshot ÷ evaluated",
      ratio: ratioOf(r.wall, e.wall),
      goal: { op: "<=", value: 0.2 },
      figures: {
        restoredMs: ms(r.wall),
        evaluatedMs: ms(e.wall),
        restoredOutcome: r.prefix ?? null,
        firstSnapshottedOutcome: first.prefix ?? null,
        firstSnapshottedMs: ms(first.wall),
        sequenceCopyMs: ms(copyMs),
        sequenceCopyOutcome: copyOutcome,
        promptTokens: e.promptTokens,
        prefixTokens,
        evaluatedPromptTokensRestored: r.evaluatedPromptTokens,
        evaluatedPromptTokensEvaluated: e.evaluatedPromptTokens,
        snapshotMiB: round(prefixes.cost.snapshotBytes(prefixTokens) / 2 ** 20, 1),
        measuredPromptTokPerS: round(prefixes.cost.describe().evaluateTokensPerS ?? Number.NaN, 1),
        measuredRestoreMBPerS: round(prefixes.cost.describe().restoreMBPerS, 0),
      },
      notes: [
        `prefix ${prefixTokens} tokens; first call with snapshots ${first.prefix} it (${ms(first.wall)} ms, snapshot written)`,
        `prefix into an empty sequence from another of the context: ${ms(copyMs)} ms (${copyOutcome})`,
      ],
    });
  } finally {
    runtime.prefixes = undefined;
  }
}
