import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import OpenAI from "openai";
import type { RunningServer } from "../../src/serve/index.js";
import { type ServedTestModel, serveTestModel } from "../helpers/serve-fixture.js";

// A bounded load test on loopback. Counts come from the environment for bigger runs, e.g.
// HEARTH_LOAD_CLIENTS=32 HEARTH_LOAD_REQUESTS=20 HEARTH_LOAD_SEQUENCES=4.
const env = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const CLIENTS = env("HEARTH_LOAD_CLIENTS", 32);
const REQUESTS = env("HEARTH_LOAD_REQUESTS", 3);
const SEQUENCES = env("HEARTH_LOAD_SEQUENCES", 4);
const QUEUE = env("HEARTH_LOAD_QUEUE", 16);
const MAX_TOKENS = env("HEARTH_LOAD_MAX_TOKENS", 12);
/** The load runs this many times: memory that grows phase after phase is a leak. */
const PHASES = env("HEARTH_LOAD_PHASES", 2);
/** Every request of a phase must have settled by then; generous, so only a hang trips it. */
const DEADLINE_MS = env("HEARTH_LOAD_DEADLINE_MS", 60_000 + CLIENTS * REQUESTS * 500);

type Outcome = "completed" | "rejected" | "cancelled";

const TOOL: OpenAI.ChatCompletionFunctionTool = {
  type: "function",
  function: {
    name: "lookup",
    parameters: {
      type: "object",
      properties: { key: { type: "string", maxLength: 8 } },
      required: ["key"],
      additionalProperties: false,
    },
  },
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe("hearth serve under load", () => {
  let served: ServedTestModel;
  let server: RunningServer;
  let client: OpenAI;

  before(async () => {
    served = await serveTestModel({ contextSize: 1024, sequences: SEQUENCES, maxQueue: QUEUE });
    ({ server, client } = served);
  });
  after(() => served.close());

  /** One request of a mixed workload: plain, streamed, streamed then cancelled, forced call. */
  async function one(clientIndex: number, round: number): Promise<Outcome> {
    const kind = (clientIndex + round) % 4;
    const base = {
      model: server.modelId,
      messages: [{ role: "user" as const, content: `client ${clientIndex} asks ${round}` }],
      max_tokens: MAX_TOKENS,
      seed: clientIndex * 100 + round,
    };
    try {
      if (kind === 0) {
        const reply = await client.chat.completions.create(base);
        assert.equal(typeof reply.choices[0].message.content, "string");
      } else if (kind === 1) {
        const reply = await client.chat.completions.create({
          ...base,
          max_tokens: 60,
          tools: [TOOL],
          tool_choice: "required",
          parallel_tool_calls: false,
        });
        const call = reply.choices[0].message.tool_calls?.[0] as
          | OpenAI.ChatCompletionMessageFunctionToolCall
          | undefined;
        assert.equal(call?.function.name, "lookup");
        assert.equal(typeof JSON.parse(call.function.arguments).key, "string");
      } else {
        const cancel = kind === 3;
        const stream = await client.chat.completions.create({ ...base, stream: true });
        let pieces = 0;
        for await (const chunk of stream) {
          if (chunk.choices[0]?.delta.content) pieces++;
          if (cancel && pieces === 2) {
            stream.controller.abort();
            return "cancelled";
          }
        }
        assert.ok(pieces > 0);
      }
      return "completed";
    } catch (error) {
      if (error instanceof OpenAI.RateLimitError) {
        assert.ok(Number(error.headers?.get("retry-after")) >= 1);
        return "rejected";
      }
      throw error;
    }
  }

  it(`${CLIENTS} clients × ${REQUESTS} requests (×${PHASES}) settle, some cancelled, memory flat`, async (t) => {
    // Warm up before the baseline: every sequence (its KV cache pages are touched on first use),
    // the tool's grammar, streaming and cancelling. A steady-state probe of each kind of request
    // showed flat RSS across 600 requests; growth past this baseline would be a leak.
    for (let round = 0; round < 2; round++) {
      await Promise.all(Array.from({ length: SEQUENCES }, (_, index) => one(index, round)));
    }
    // Readings are taken after a full collection, so garbage not yet collected is not counted.
    v8.setFlagsFromString("--expose-gc");
    const collect = runInNewContext("gc") as () => void;
    collect();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
    const settled: number[] = [];
    try {
      for (let phase = 0; phase < PHASES; phase++) {
        const report = await loadPhase();
        t.diagnostic(`load phase ${phase + 1}: ${JSON.stringify(report)}`);
        assert.equal(report.completed + report.rejected + report.cancelled, report.total);
        assert.ok(report.completed > 0);
        assert.ok(report.cancelled > 0);
        // Every sequence is handed back and nothing waits, soon after the clients are done (the
        // last cancelled streams' disconnects may still be on their way to the server).
        await assertIdleWithin(10_000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        collect();
        settled.push(process.memoryUsage().rss);
      }
    } finally {
      clearInterval(sampler);
    }
    t.diagnostic(
      `rss MiB: baseline ${mib(baseline)}, peak ${mib(peak)}, after each phase ${settled.map(mib).join(", ")}`,
    );
    // The allocator keeps some of the first burst's peak; a leak would grow phase after phase.
    const last = settled.at(-1)!;
    assert.ok(last - baseline < 192 * 2 ** 20, `RSS grew by ${mib(last - baseline)} MiB`);
    if (settled.length > 1) {
      assert.ok(
        last - settled[0] < 48 * 2 ** 20,
        `RSS kept growing after the first phase: ${settled.map(mib).join(" → ")} MiB`,
      );
    }
  });

  async function assertIdleWithin(ms: number): Promise<void> {
    const until = Date.now() + ms;
    let health = { busy: -1, waiting: -1 };
    while (Date.now() < until) {
      health = (await (await fetch(`${server.url}/health`)).json()) as typeof health;
      if (health.busy === 0 && health.waiting === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`still ${health.busy} busy and ${health.waiting} waiting ${ms} ms after the load`);
  }

  /** All clients at once, each sending its requests in turn; every one must settle in time. */
  async function loadPhase() {
    const latencies: number[] = [];
    const counts: Record<Outcome, number> = { completed: 0, rejected: 0, cancelled: 0 };
    const startedAt = performance.now();
    const clients = Array.from({ length: CLIENTS }, async (_, clientIndex) => {
      for (let round = 0; round < REQUESTS; round++) {
        const began = performance.now();
        const outcome = await one(clientIndex, round);
        counts[outcome]++;
        if (outcome === "completed") latencies.push(performance.now() - began);
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`requests still pending after ${DEADLINE_MS} ms`)),
        DEADLINE_MS,
      );
    });
    try {
      await Promise.race([Promise.all(clients), deadline]);
    } finally {
      clearTimeout(timer);
    }
    latencies.sort((a, b) => a - b);
    return {
      total: CLIENTS * REQUESTS,
      ...counts,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      wallMs: Math.round(performance.now() - startedAt),
      sequences: SEQUENCES,
      queue: QUEUE,
    };
  }
});
