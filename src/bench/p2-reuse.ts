import { type BenchContext, clearSequences, pathOf, runTurn } from "./context.js";
import { CONVERSATION, questions } from "./fixtures.js";
import { distinctPromptTokens, GenerateProbe } from "./probe.js";
import { formatRatio } from "./report.js";
import { sum } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

interface ReuseFigures {
  calls: number;
  promptTokens: number;
  evaluatedPromptTokens: number;
  distinctPromptTokens: number;
  /** Evaluated by calls whose whole prompt an earlier call already had (a cache had it; KV did not). */
  evaluatedOnRepeatedPrompts: number;
  paths: string[];
}

/** Runs `work` from empty KV caches and counts the prompts node-llama-cpp was given. */
async function measure(
  context: BenchContext,
  work: () => Promise<string[]>,
): Promise<ReuseFigures> {
  await clearSequences(context.runtime);
  const probe = new GenerateProbe({ capturePrompts: true }).start();
  let paths: string[];
  try {
    paths = await work();
  } finally {
    probe.stop();
  }
  const prompts = probe.records.map((record) => record.prompt ?? []);
  const seen = new Set<string>();
  let evaluatedOnRepeatedPrompts = 0;
  for (const [index, prompt] of prompts.entries()) {
    const key = prompt.join(",");
    if (seen.has(key)) evaluatedOnRepeatedPrompts += probe.records[index].evaluatedPromptTokens;
    seen.add(key);
  }
  return {
    evaluatedOnRepeatedPrompts,
    calls: probe.records.length,
    promptTokens: sum(prompts.map((prompt) => prompt.length)),
    evaluatedPromptTokens: sum(probe.records.map((record) => record.evaluatedPromptTokens)),
    distinctPromptTokens: distinctPromptTokens(prompts),
    paths,
  };
}

function reuseRow(name: string, figures: ReuseFigures, notes: string[]): BenchRow {
  return row({
    id: "P2",
    name,
    ratioOf: "prompt tokens evaluated ÷ distinct prompt tokens",
    ratio: ratioOf(figures.evaluatedPromptTokens, figures.distinctPromptTokens),
    goal: { op: "<=", value: 1.05 },
    figures: {
      modelCalls: figures.calls,
      evaluatedPromptTokens: figures.evaluatedPromptTokens,
      distinctPromptTokens: figures.distinctPromptTokens,
      promptTokensSent: figures.promptTokens,
      naiveRatio: ratioOf(figures.promptTokens, figures.distinctPromptTokens),
      evaluatedOnRepeatedPrompts: figures.evaluatedOnRepeatedPrompts,
    },
    notes: [
      ...notes,
      ...(figures.evaluatedOnRepeatedPrompts > 0
        ? [
            `${figures.evaluatedOnRepeatedPrompts} tokens were evaluated again for a prompt identical to an earlier one (the random model rewrote the same draft, so the second validation repeated the first): the sequence's KV cache had moved on; without them the ratio is ${formatRatio(ratioOf(figures.evaluatedPromptTokens - figures.evaluatedOnRepeatedPrompts, figures.distinctPromptTokens))}`,
          ]
        : []),
      "distinct = nodes of the token trie of every prompt (what a perfect prefix cache evaluates); naive = every prompt evaluated in full",
    ],
  });
}

/**
 * P2: prompt tokens evaluated ÷ distinct prompt tokens, over a 3-round tool run (route, three
 * forced rounds, the capped answer, validation with its retry) and a 5-turn conversation on one
 * thread (route → tool round → answer per turn), each starting from empty KV caches.
 */
export async function benchPromptReuse(context: BenchContext): Promise<BenchRow[]> {
  const toolRun = await measure(context, async () => {
    const [question] = questions(1, 18);
    const { summary } = await runTurn(context.threeRoundGraph, question);
    return [pathOf(summary)];
  });
  const conversation = await measure(context, async () => {
    const thread = `bench-conversation-${Date.now()}`;
    const paths: string[] = [];
    for (const text of CONVERSATION) {
      const { summary } = await runTurn(context.oneRoundGraph, text, thread);
      paths.push(pathOf(summary));
    }
    return paths;
  });
  return [
    reuseRow("P2 prompt reuse, 3-round tool run", toolRun, [
      `path: ${toolRun.paths[0]}`,
      'the random model never chooses a tool by itself: the graph\'s "auto" steps are made "required" (same prompt)',
    ]),
    reuseRow("P2 prompt reuse, 5-turn conversation", conversation, [
      `turns: ${conversation.paths.map((path) => path.split(",")[0]).join(" | ")}`,
    ]),
  ];
}
