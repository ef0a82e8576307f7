import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { ChatNodeLlamaCpp } from "../src/models/chat/index.js";
import { type RunningServer, startServer } from "../src/serve/index.js";
import { testModelPath } from "./helpers/test-models.js";

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
/** Every request must have settled by then; generous, so only a hang trips it. */
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
  let chat: ChatNodeLlamaCpp;
  let server: RunningServer;
  let client: OpenAI;

  before(async () => {
    chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 1024,
      sequences: SEQUENCES,
      maxQueue: QUEUE,
    });
    server = await startServer({ model: chat, port: 0 });
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
  });
  after(async () => {
    await server.close();
    await chat.dispose();
  });

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

  it(`${CLIENTS} clients × ${REQUESTS} requests settle, some cancelled, memory back near baseline`, async (t) => {
    // Warm up (grammar for the tool, first-call allocations) before the baseline is taken.
    await one(0, 0);
    await one(0, 1);
    // With --expose-gc (bigger runs) both readings are taken after a full collection.
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);

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
      clearInterval(sampler);
    }
    const wallMs = performance.now() - startedAt;

    latencies.sort((a, b) => a - b);
    const total = CLIENTS * REQUESTS;
    const report = {
      total,
      ...counts,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      wallMs: Math.round(wallMs),
      sequences: SEQUENCES,
      queue: QUEUE,
    };
    t.diagnostic(`load: ${JSON.stringify(report)}`);
    assert.equal(counts.completed + counts.rejected + counts.cancelled, total);
    assert.ok(counts.completed > 0);
    assert.ok(counts.cancelled > 0);

    // Every sequence is handed back and nothing waits once the clients are done.
    const health = (await (await fetch(`${server.url}/health`)).json()) as {
      busy: number;
      waiting: number;
    };
    assert.deepEqual({ busy: health.busy, waiting: health.waiting }, { busy: 0, waiting: 0 });

    // Memory: the KV cache is allocated up front, so requests should leave little behind.
    await new Promise((resolve) => setTimeout(resolve, 500));
    collect?.();
    const afterRss = process.memoryUsage().rss;
    const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
    t.diagnostic(`rss MiB: baseline ${mib(baseline)}, peak ${mib(peak)}, after ${mib(afterRss)}`);
    assert.ok(
      afterRss - baseline < 192 * 2 ** 20,
      `RSS grew by ${mib(afterRss - baseline)} MiB over the run`,
    );
  });
});
