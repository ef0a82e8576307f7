import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatNodeLlamaCpp, DeterministicLruCache } from "../models/chat/index.js";
import type { BenchContext } from "./context.js";
import { median, ms, round } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

interface MixedCall {
  prompt: string;
  temperature: number;
  seed?: number;
}

/** 16 calls: deterministic repeats (cacheable), seeded samples (cacheable), unseeded samples (never). */
function mixedRun(): { calls: MixedCall[]; expectedHits: number } {
  const greedy = (prompt: string): MixedCall => ({ prompt, temperature: 0 });
  const seeded = (prompt: string): MixedCall => ({ prompt, temperature: 0.8, seed: 7 });
  const sampled = (prompt: string): MixedCall => ({ prompt, temperature: 0.8 });
  const calls = [
    greedy("What is 2 + 2?"),
    greedy("Name a colour."),
    sampled("Tell me a joke."),
    greedy("What is 2 + 2?"),
    seeded("Pick a number."),
    greedy("Name a fruit."),
    sampled("Tell me a joke."),
    greedy("Name a colour."),
    seeded("Pick a number."),
    greedy("What is the capital of France?"),
    sampled("Tell me a joke."),
    greedy("Name a fruit."),
    seeded("Pick a letter."),
    greedy("What is the capital of France?"),
    sampled("Say hello."),
    seeded("Pick a letter."),
  ];
  // Greedy: 4 prompts twice (4 hits); seeded: 2 prompts twice (2 hits); unseeded: none.
  return { calls, expectedHits: 6 };
}

/**
 * P6: a repeated deterministic call answered from Hearth's LRU cache (ms, and ÷ the uncached
 * call), and the hit rate of a mixed run, against what a correct cache must give (greedy and
 * seeded calls repeat; unseeded sampled calls must never be served from the cache).
 */
export async function benchCache(context: BenchContext): Promise<BenchRow[]> {
  const cache = new DeterministicLruCache();
  const chat = new ChatNodeLlamaCpp({
    model: context.runtime.model,
    cache,
    contextSize: 1024,
    sequences: 1,
    maxTokens: 8,
  });
  try {
    const messages = [
      new SystemMessage("You are a helpful assistant."),
      new HumanMessage("What is the tallest mountain?"),
    ];
    let started = performance.now();
    await chat.invoke(messages);
    const missMs = performance.now() - started;
    const hitTimes: number[] = [];
    for (let index = 0; index < 5; index++) {
      started = performance.now();
      await chat.invoke(messages);
      hitTimes.push(performance.now() - started);
    }
    const hitMs = median(hitTimes);
    const repeatRow = row({
      id: "P6",
      name: "P6 cache, repeated deterministic call",
      ratioOf: "cached call ms ÷ uncached call ms",
      ratio: ratioOf(hitMs, missMs),
      figures: {
        hitMs: round(hitMs, 2),
        missMs: ms(missMs),
        hitMsBest: round(Math.min(...hitTimes), 2),
      },
      notes: ["greedy call, 8 tokens; median of 5 repeats"],
    });

    cache.hits = 0;
    cache.misses = 0;
    const { calls, expectedHits } = mixedRun();
    let hits = 0;
    for (const call of calls) {
      const before = cache.hits;
      await chat.invoke([new HumanMessage(call.prompt)], {
        temperature: call.temperature,
        seed: call.seed,
      } as never);
      hits += cache.hits - before;
    }
    const hitRate = hits / calls.length;
    const expectedRate = expectedHits / calls.length;
    const mixedRow = row({
      id: "P6",
      name: "P6 cache, mixed run hit rate",
      ratioOf: "cache hits ÷ calls (16 calls)",
      ratio: hitRate,
      goal: { op: "==", value: expectedRate },
      figures: {
        calls: calls.length,
        hits,
        expectedHits,
        misses: cache.misses,
        unseededSampledCalls: calls.filter((c) => c.temperature > 0 && c.seed === undefined).length,
      },
      notes: [
        "expected: every repeated greedy or seeded call hits, unseeded sampled calls never do",
        ...(hits > expectedHits
          ? ["more hits than possible: a sampled call was served from the cache"]
          : []),
      ],
    });
    return [repeatRow, mixedRow];
  } finally {
    await chat.dispose();
  }
}
