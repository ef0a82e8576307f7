import { spawn } from "node:child_process";
import os from "node:os";
import { type ChatHistoryItem, LlamaChat } from "node-llama-cpp";
import { LoadAwareThreads } from "../models/runtime/index.js";
import type { BenchContext } from "./context.js";
import { round } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

/** A CPU-bound process that spins for `ms` (bounded: it ends by itself, and is killed after). */
function spawnCompetitor(ms: number) {
  return spawn(
    process.execPath,
    ["-e", `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x++;`],
    { stdio: "ignore" },
  );
}

type Config = { name: string; fixed?: number };

/**
 * P9: decode tok/s while another process keeps one core busy — Hearth's load-aware thread cap
 * ÷ the best fixed thread count under the same load. Configurations alternate call by call,
 * so each sees the same competitor and the same other tenants.
 */
export async function benchThreadsUnderLoad(context: BenchContext): Promise<BenchRow> {
  const { runtime } = context;
  const llama = runtime.llama;
  const cores = os.availableParallelism();
  const originalCap = llama.maxThreads;
  const tokens = context.quick ? 12 : 24;
  const rounds = context.quick ? 3 : 5;
  const configs: Config[] = [
    ...Array.from({ length: cores }, (_, index) => ({
      name: `fixed${index + 1}`,
      fixed: index + 1,
    })),
    { name: "hearth" },
  ];
  const adaptive = new LoadAwareThreads(llama, cores, 500, cores);
  const totals = new Map(configs.map((config) => [config.name, { tokens: 0, ms: 0 }]));
  const chosen: number[] = [];
  const fingerprint = ["hearth-bench-threads-under-load"];
  const competitor = spawnCompetitor((rounds * configs.length * 20 + 30) * 1000);
  const lease = await runtime.pool.acquire(fingerprint);
  const chat = new LlamaChat({ contextSequence: lease.sequence, chatWrapper: runtime.chatWrapper });
  const history: ChatHistoryItem[] = [{ type: "user", text: "Tell me a long story." }];
  try {
    adaptive.recheck();
    await chat.generateResponse(history, { maxTokens: 1, budgets: { thoughtTokens: 0 } });
    for (let index = 0; index < rounds; index++) {
      // Rotated each round, so no configuration always runs first after a switch.
      const order = configs.map((_, offset) => configs[(index + offset) % configs.length]);
      for (const config of order) {
        if (config.fixed === undefined) chosen.push(adaptive.recheck());
        else llama.maxThreads = config.fixed;
        const started = performance.now();
        await chat.generateResponse(history, {
          maxTokens: tokens,
          budgets: { thoughtTokens: 0 },
        });
        const total = totals.get(config.name)!;
        total.ms += performance.now() - started;
        total.tokens += tokens;
      }
    }
  } finally {
    llama.maxThreads = originalCap;
    chat.dispose({ disposeSequence: false });
    runtime.pool.release(lease, undefined);
    competitor.kill();
  }
  const rate = (name: string) => {
    const total = totals.get(name)!;
    return (total.tokens / total.ms) * 1000;
  };
  const fixed = configs.filter((config) => config.fixed !== undefined);
  const best = fixed.reduce((a, b) => (rate(b.name) > rate(a.name) ? b : a));
  return row({
    id: "P9",
    name: "P9 threads under load",
    ratioOf:
      "decode tok/s with a competing CPU-bound process: Hearth's load-aware threads ÷ the best fixed thread count",
    ratio: ratioOf(rate("hearth"), rate(best.name)),
    goal: { op: ">=", value: 0.9 },
    figures: {
      hearthTokPerS: round(rate("hearth"), 1),
      ...Object.fromEntries(
        fixed.map((config) => [`${config.name}TokPerS`, round(rate(config.name), 1)]),
      ),
      bestFixedThreads: best.fixed ?? null,
      hearthThreadsChosen: chosen.join(" "),
    },
    notes: [
      `one spinning process beside the bench; ${rounds} rounds of ${tokens} tokens per configuration, alternated`,
    ],
  });
}
