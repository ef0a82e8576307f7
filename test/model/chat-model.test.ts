import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AIMessage,
  type AIMessageChunk,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import {
  ChatNodeLlamaCpp,
  DeterministicLruCache,
  messagesToChatHistory,
} from "../../src/models/chat/index.js";
import { testModelPath } from "../helpers/test-models.js";

function queueMs(reply: AIMessage | AIMessageChunk): number {
  return (reply.response_metadata.timings as { queueMs: number }).queueMs;
}

const SYSTEM = new SystemMessage(
  "You are Hearth's test assistant. Answer briefly. Use the tools when the question needs live data or arithmetic.",
);

describe("ChatNodeLlamaCpp context size", () => {
  it("refuses an explicit size outside 512..32768 at construction, with one clear error", () => {
    for (const contextSize of [300, 65_536, 1000.5]) {
      assert.throws(
        () => new ChatNodeLlamaCpp({ modelPath: "never-loaded.gguf", contextSize }),
        (error: Error) =>
          error.name === "ContextSizeError" &&
          error.message ===
            `contextSize must be a whole number of tokens between Hearth's minimum of 512 and maximum of 32768; got ${contextSize}. Pass a value in that range, or leave it out for the default of 8192.`,
      );
    }
  });

  it("reports the size it will use before loading: the option, else the default", () => {
    assert.equal(
      new ChatNodeLlamaCpp({ modelPath: "x.gguf", contextSize: 2048 }).contextSize,
      2048,
    );
    assert.equal(new ChatNodeLlamaCpp({ modelPath: "x.gguf" }).contextSize, 8192);
  });
});

describe("ChatNodeLlamaCpp on a generated GGUF", () => {
  let chat: ChatNodeLlamaCpp;
  before(async () => {
    chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 4096,
      sequences: 4,
      maxTokens: 16,
    });
  });
  after(() => chat.dispose());

  it("answers a history of every message kind, with usage and response metadata", async () => {
    const reply = await chat.invoke([
      SYSTEM,
      new HumanMessage("What is 2+2 and the weather in Oslo?"),
      new AIMessage({
        content: "",
        tool_calls: [{ id: "t1", name: "calculator", args: { expression: "2+2" } }],
      }),
      new ToolMessage({ tool_call_id: "t1", content: [{ type: "text", text: "4" }] }),
      new AIMessage("It is 4."),
      new SystemMessage("Keep answers short."),
      new HumanMessage({ content: [{ type: "text", text: "And the weather?" }] }),
    ]);
    assert.equal(typeof reply.content, "string");
    assert.ok(reply.usage_metadata);
    assert.ok(reply.usage_metadata.input_tokens > 20);
    assert.equal(reply.usage_metadata.output_tokens, 16);
    assert.equal(reply.usage_metadata.total_tokens, reply.usage_metadata.input_tokens + 16);
    assert.equal(reply.response_metadata.stopReason, "maxTokens");
    assert.match(String(reply.response_metadata.model), /qwen-tiny/);
    // Once loaded, the size is the context's own (node-llama-cpp's LlamaContext.contextSize).
    assert.equal(chat.contextSize, (await chat.ensureLoaded()).context.contextSize);
    assert.equal(chat.contextSize, 4096);
  });

  it("streams the same text invoke returns (greedy), as AIMessageChunks, firing handleLLMNewToken", async () => {
    const messages = [SYSTEM, new HumanMessage("Tell me about Hearth.")];
    const invoked = await chat.invoke(messages);
    const tokens: string[] = [];
    let streamed = "";
    let chunks = 0;
    let last: AIMessageChunk | undefined;
    for await (const chunk of await chat.stream(messages, {
      callbacks: [{ handleLLMNewToken: (token: string) => void tokens.push(token) }],
    })) {
      streamed += chunk.content;
      chunks++;
      last = chunk;
    }
    assert.equal(streamed, invoked.content);
    assert.ok(chunks > 2, `streamed in ${chunks} chunks`);
    assert.equal(tokens.join(""), streamed);
    assert.equal(last?.usage_metadata?.output_tokens, 16);
  });

  it("aborting before a call rejects it; aborting mid-stream stops it and frees the sequence", async () => {
    const early = new AbortController();
    early.abort(new Error("cancelled early"));
    await assert.rejects(
      chat.invoke([new HumanMessage("hi")], { signal: early.signal }),
      /cancelled early|abort/i,
    );

    const controller = new AbortController();
    let received = 0;
    await assert.rejects(async () => {
      for await (const _chunk of await chat.stream([new HumanMessage("Write a long story.")], {
        signal: controller.signal,
        maxTokens: 500,
      })) {
        received++;
        if (received === 3) controller.abort();
      }
    }, /abort/i);
    assert.ok(received >= 3 && received < 100, `stopped after ${received} chunks`);
    // All four sequences are free again: four concurrent calls run without queueing.
    const replies = await Promise.all(
      [1, 2, 3, 4].map((n) => chat.invoke([new HumanMessage(`call ${n}`)], { maxTokens: 2 })),
    );
    assert.ok(replies.every((reply) => queueMs(reply) < 50));
  });

  it("stops at a stop sequence, without emitting it", async () => {
    const messages = [new HumanMessage("Count to ten.")];
    const full = String((await chat.invoke(messages, { maxTokens: 40 })).content);
    const stop = full.slice(8, 11);
    assert.equal(stop.length, 3, `need a long enough sample: ${JSON.stringify(full)}`);
    const cut = String((await chat.invoke(messages, { maxTokens: 40, stop: [stop] })).content);
    assert.equal(cut, full.slice(0, full.indexOf(stop)));
  });

  it("reports usage that adds up to node-llama-cpp's own token meters", async () => {
    const fresh = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 2048,
      maxTokens: 8,
    });
    try {
      let input = 0;
      let cached = 0;
      let output = 0;
      for (const question of ["one", "two", "three"]) {
        const reply = await fresh.invoke([SYSTEM, new HumanMessage(question)]);
        input += reply.usage_metadata!.input_tokens;
        cached += reply.usage_metadata!.input_token_details?.cache_read ?? 0;
        output += reply.usage_metadata!.output_tokens;
      }
      const runtime = await fresh.ensureLoaded();
      const meters = runtime.pool.all.map((sequence) => sequence.tokenMeter);
      // node-llama-cpp meters the prompt's last token as output (it is evaluated for the logits
      // of the first sample): one evaluated prompt token per call beyond its input count.
      assert.equal(
        input - cached,
        meters.reduce((sum, meter) => sum + meter.usedInputTokens, 0) + 3,
      );
      assert.equal(
        output,
        meters.reduce((sum, meter) => sum + meter.usedOutputTokens, 0),
      );
      assert.equal(fresh.tokenMeter.evaluatedPromptTokens, input - cached);
      assert.ok(cached > 0, "the shared system prompt was reused");
    } finally {
      await fresh.dispose();
    }
  });

  it("input_tokens is the prompt the sequence holds (LlamaChat path), whatever the reply length", async () => {
    const runtime = await chat.ensureLoaded();
    const question = [SYSTEM, new HumanMessage("Count the tokens of this prompt.")];
    for (const maxTokens of [1, 2, 7]) {
      const reply = await chat.invoke(question, { maxTokens });
      const metadata = reply.response_metadata as Record<string, number>;
      const sequence = runtime.pool.all[metadata.sequence];
      const sampled = metadata.sampledTokens;
      assert.equal(sampled, maxTokens);
      // The sequence holds the prompt and every sampled token but the last (never fed back).
      assert.equal(reply.usage_metadata?.input_tokens, sequence.nextTokenIndex - (sampled - 1));
      // And the prompt is what the chat wrapper renders for this history.
      const history = messagesToChatHistory(question);
      const rendered = runtime.chatWrapper
        .generateContextState({ chatHistory: history })
        .contextText.tokenize(runtime.model.tokenizer);
      assert.equal(reply.usage_metadata?.input_tokens, rendered.length);
      assert.deepEqual(sequence.contextTokens.slice(0, rendered.length), rendered);
    }
  });

  it("a call that extends the previous one evaluates only the new tokens", async () => {
    const first = [SYSTEM, new HumanMessage("Remember the number 7.")];
    const one = await chat.invoke(first);
    const second = [
      ...first,
      new AIMessage("Noted: 7."),
      new HumanMessage("What number did I say?"),
    ];
    const two = await chat.invoke(second);
    const promptOne = one.usage_metadata!.input_tokens;
    const promptTwo = two.usage_metadata!.input_tokens;
    const evaluatedTwo = promptTwo - (two.usage_metadata!.input_token_details?.cache_read ?? 0);
    assert.ok(promptTwo > promptOne);
    assert.ok(
      evaluatedTwo <= promptTwo - promptOne + 3,
      `evaluated ${evaluatedTwo} of ${promptTwo} (first prompt ${promptOne})`,
    );
    const again = await chat.invoke(second);
    assert.ok(
      again.usage_metadata!.input_tokens -
        (again.usage_metadata!.input_token_details?.cache_read ?? 0) <=
        1,
    );
  });

  it("ten calls in a row never run out of sequences; 8 concurrent calls share a 4-sequence pool", async () => {
    for (let index = 0; index < 10; index++) {
      const reply = await chat.invoke([new HumanMessage(`turn ${index}`)], { maxTokens: 2 });
      assert.equal(reply.usage_metadata?.output_tokens, 2);
    }
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        chat.invoke([new HumanMessage(`parallel ${index}`)], { maxTokens: 4 }),
      ),
    );
    assert.equal(replies.length, 8);
    assert.ok(replies.every((reply) => reply.usage_metadata?.output_tokens === 4));
    const sequencesUsed = new Set(replies.map((reply) => reply.response_metadata.sequence));
    assert.equal(sequencesUsed.size, 4);
    assert.ok(replies.some((reply) => queueMs(reply) > 0));
  });

  it("refuses calls past the bounded queue with a message that says what to do", async () => {
    const small = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 1024,
      sequences: 1,
      maxQueue: 1,
      maxTokens: 4,
    });
    try {
      const results = await Promise.allSettled(
        [1, 2, 3].map((n) => small.invoke([new HumanMessage(`q${n}`)])),
      );
      assert.equal(results.filter((result) => result.status === "fulfilled").length, 2);
      const rejected = results.find(
        (result) => result.status === "rejected",
      ) as PromiseRejectedResult;
      assert.match(String(rejected.reason), /busy.*Raise `sequences` or `maxQueue`/);
    } finally {
      await small.dispose();
    }
  });

  it("withStructuredOutput returns a validated object, with the raw message when asked", async () => {
    const schema = z.object({
      route: z.enum(["direct", "tools"]),
      confidence: z.number().int(),
      reason: z.string().max(30),
    });
    const structured = chat.withStructuredOutput(schema, { includeRaw: true });
    for (const seed of [1, 2]) {
      const { raw, parsed } = await structured.invoke([new HumanMessage("Route this question.")], {
        temperature: 1,
        seed,
        maxTokens: 200,
      } as never);
      assert.ok(schema.safeParse(parsed).success, JSON.stringify(parsed));
      assert.equal(typeof (raw as AIMessageChunk).content, "string");
    }
  });

  it("serves a repeated deterministic call from the cache, and never caches a sampled one", async () => {
    const cache = new DeterministicLruCache(2);
    const cached = new ChatNodeLlamaCpp({
      model: (await chat.ensureLoaded()).model,
      contextSize: 1024,
      maxTokens: 6,
      cache,
    });
    try {
      const question = [new HumanMessage("cache me")];
      const first = await cached.invoke(question);
      const second = await cached.invoke(question);
      assert.equal(second.content, first.content);
      assert.equal(cache.hits, 1);
      assert.equal(cached.tokenMeter.calls, 1);
      await cached.invoke(question, { temperature: 0.9 });
      await cached.invoke(question, { temperature: 0.9 });
      assert.equal(cached.tokenMeter.calls, 3, "sampled calls without a seed are not cached");
      await cached.invoke(question, { maxTokens: 5 });
      assert.equal(cached.tokenMeter.calls, 4, "a different sampling parameter is a different key");
      assert.ok(cache.size <= 2, "the cache is bounded");
    } finally {
      await cached.dispose();
    }
  });

  it("keys the cache by the call, not by LangGraph's per-step options, and tells tool sets apart", async () => {
    const cached = new ChatNodeLlamaCpp({
      model: (await chat.ensureLoaded()).model,
      contextSize: 1024,
      maxTokens: 6,
      cache: true,
    });
    // LangChain serialises a tool() as its class name only: the key must use the schemas.
    const named = (name: string) =>
      tool(async () => name, { name, description: name, schema: z.object({}) });
    try {
      const question = [new HumanMessage("cache me in a graph")];
      // LangGraph passes a different executionInfo to every node run.
      await cached.invoke(question, { executionInfo: { checkpointId: "step-1" } } as never);
      await cached.invoke(question, { executionInfo: { checkpointId: "step-2" } } as never);
      assert.equal(cached.tokenMeter.calls, 1, "the second step was answered from the cache");
      await cached.bindTools([named("alpha")], { tool_choice: "none" }).invoke(question);
      await cached.bindTools([named("beta")], { tool_choice: "none" }).invoke(question);
      assert.equal(cached.tokenMeter.calls, 3, "different tools are different keys");
      await cached.bindTools([named("beta")], { tool_choice: "none" }).invoke(question);
      assert.equal(cached.tokenMeter.calls, 3);
    } finally {
      await cached.dispose();
    }
  });
});

describe("ChatNodeLlamaCpp.getNumTokens", () => {
  it("counts with the model's own tokenizer", async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 1024,
    });
    try {
      const runtime = await chat.ensureLoaded();
      const text = 'What is the weather in Paris? {"city": "Paris"}';
      assert.equal(await chat.getNumTokens(text), runtime.model.tokenize(text).length);
      assert.ok((await chat.getNumTokens(text + text)) > (await chat.getNumTokens(text)));
    } finally {
      await chat.dispose();
    }
  });
});
