import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BaseCallbackHandler,
  type HandleLLMNewTokenCallbackFields,
  type NewTokenIndices,
} from "@langchain/core/callbacks/base";
import { type AIMessageChunk, HumanMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk } from "@langchain/core/outputs";
import { tool } from "@langchain/core/tools";
import { concat } from "@langchain/core/utils/stream";
import { z } from "zod";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { testModelPath } from "../helpers/test-models.js";

/** Records every token a run reports, with the chunk it came with. */
class TokenRecorder extends BaseCallbackHandler {
  name = "TokenRecorder";
  tokens: string[] = [];
  chunks: AIMessageChunk[] = [];
  override handleLLMNewToken(
    token: string,
    _idx: NewTokenIndices,
    _runId: string,
    _parentRunId?: string,
    _tags?: string[],
    fields?: HandleLLMNewTokenCallbackFields,
  ) {
    this.tokens.push(token);
    const message = (fields?.chunk as ChatGenerationChunk | undefined)?.message;
    if (message) this.chunks.push(message as AIMessageChunk);
  }
}

// No optional properties: its argument text streams as the model writes it.
const convert = tool(async () => "", {
  name: "convert_units",
  description: "Convert a quantity",
  schema: z.object({ value: z.number(), from: z.enum(["km", "mi"]), to: z.enum(["km", "mi"]) }),
});
// An optional property: arguments are sent once the placeholder null is removed.
const weather = tool(async () => "", {
  name: "weather.get",
  description: "Current weather",
  schema: z.object({ city: z.string().max(12), unit: z.enum(["c", "f"]).optional() }),
});

describe("ChatNodeLlamaCpp: LangChain's constructor fields and callbacks", () => {
  let modelPath: string;
  const models: ChatNodeLlamaCpp[] = [];
  const make = (fields: Record<string, unknown> = {}) => {
    const model = new ChatNodeLlamaCpp({ modelPath, maxTokens: 32, ...fields });
    models.push(model);
    return model;
  };
  before(async () => {
    modelPath = await testModelPath({ family: "qwen" });
  });
  after(async () => {
    for (const model of models) await model.dispose();
  });

  it("refuses values it cannot use, naming the field", () => {
    assert.throws(() => make({ timeout: -5 }), /timeout \(milliseconds per call\) must be/);
    assert.throws(() => make({ maxRetries: 1.5 }), /maxRetries must be/);
    assert.throws(() => make({ stopSequences: "x" }), /stopSequences must be an array of strings/);
  });

  it("stopSequences stop generation like stop, and show in the traced stop list", async () => {
    const messages = [new HumanMessage("Count to ten.")];
    const probe = make({ maxTokens: 40 });
    const full = String((await probe.invoke(messages)).content);
    const cut = full.slice(8, 11);
    assert.equal(cut.length, 3, `need a long enough sample: ${JSON.stringify(full)}`);
    const stopped = make({ maxTokens: 40, stopSequences: [cut] });
    // The same instance with the call's own (empty) stop list writes the whole text.
    assert.equal(String((await stopped.invoke(messages, { stop: [] })).content), full);
    const reply = await stopped.invoke(messages);
    assert.equal(String(reply.content), full.slice(0, full.indexOf(cut)));
    assert.deepEqual(stopped.getLsParams({}).ls_stop, [cut]);
  });

  it("timeout aborts a call that runs longer", async () => {
    const slow = make({ maxTokens: 4000, timeout: 150, contextSize: 8192 });
    const started = performance.now();
    await assert.rejects(slow.invoke([new HumanMessage("Write a long story")]), /abort|timeout/i);
    assert.ok(performance.now() - started < 5000);
  });

  it("maxRetries retries a refused call (a full queue) with LangChain's back-off", async () => {
    const busy = make({ sequences: 1, maxQueue: 0, maxTokens: 24, maxRetries: 3 });
    const results = await Promise.allSettled(
      [1, 2].map((n) => busy.invoke([new HumanMessage(`q${n}`)])),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "fulfilled"],
    );
    const once = make({ sequences: 1, maxQueue: 0, maxTokens: 24 });
    const unretried = await Promise.allSettled(
      [1, 2].map((n) => once.invoke([new HumanMessage(`q${n}`)])),
    );
    assert.equal(unretried.filter((r) => r.status === "rejected").length, 1);
  });

  it("every result carries a message id, with callbacks or without", async () => {
    const model = make();
    const plain = await model.invoke([new HumanMessage("hi")]);
    assert.match(plain.id ?? "", /^run-/);
    let streamed: AIMessageChunk | undefined;
    for await (const chunk of await model.stream([new HumanMessage("hi")])) {
      assert.ok(chunk.id, "every chunk has the message's id");
      streamed = streamed ? concat(streamed, chunk) : chunk;
    }
    assert.match(streamed?.id ?? "", /^run-/);
  });

  it("handleLLMNewToken fires for a forced call, and its tool-call chunks arrive while it is generated", async () => {
    const model = make({ maxTokens: 96 });
    const bound = model.bindTools([convert], { tool_choice: "convert_units" });
    const messages = [new HumanMessage("Convert 3 km to miles")];
    const recorder = new TokenRecorder();
    const invoked = await bound.invoke(messages, { callbacks: [recorder] });
    assert.equal(invoked.tool_calls?.length, 1);
    assert.ok(recorder.tokens.length >= 3, `${recorder.tokens.length} tokens`);
    assert.equal(JSON.parse(recorder.tokens.join("")).name, "convert_units");

    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await bound.stream(messages)) chunks.push(chunk);
    const withCalls = chunks.filter((c) => (c.tool_call_chunks?.length ?? 0) > 0);
    assert.ok(withCalls.length >= 3, `${withCalls.length} chunks with tool-call parts`);
    assert.ok(chunks.indexOf(withCalls[0]) < chunks.length - 1, "the first arrives before the end");
    assert.equal(withCalls[0].tool_call_chunks?.[0].name, "convert_units");
    const aggregated = chunks.reduce((a, b) => concat(a, b));
    assert.deepEqual(aggregated.tool_calls?.[0].args, invoked.tool_calls?.[0].args);
    assert.equal(aggregated.tool_calls?.[0].id, withCalls[0].tool_call_chunks?.[0].id);
  });

  it("a tool with optional properties streams its name first and its checked arguments at the end", async () => {
    const bound = make({ maxTokens: 96 }).bindTools([weather], { tool_choice: "weather.get" });
    const messages = [new HumanMessage("Weather in Oslo?")];
    const invoked = await bound.invoke(messages);
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await bound.stream(messages)) chunks.push(chunk);
    const named = chunks.findIndex((c) => c.tool_call_chunks?.[0]?.name === "weather.get");
    assert.ok(named >= 0 && named < chunks.length - 1);
    const aggregated = chunks.reduce((a, b) => concat(a, b));
    assert.deepEqual(aggregated.tool_calls?.[0].args, invoked.tool_calls?.[0].args);
    assert.ok(!JSON.stringify(aggregated.tool_calls?.[0].args).includes("null"));
  });

  it("streaming: true makes invoke stream underneath: callbacks get each chunk, the result is the same", async () => {
    const streaming = make({ streaming: true, maxTokens: 96 });
    const recorder = new TokenRecorder();
    const messages = [new HumanMessage("Convert 3 km to miles")];
    const reply = await streaming
      .bindTools([convert], { tool_choice: "convert_units" })
      .invoke(messages, { callbacks: [recorder] });
    assert.ok(recorder.chunks.some((c) => (c.tool_call_chunks?.length ?? 0) > 0));
    const plain = await make({ maxTokens: 96 })
      .bindTools([convert], { tool_choice: "convert_units" })
      .invoke(messages);
    assert.deepEqual(reply.tool_calls?.[0].args, plain.tool_calls?.[0].args);
    assert.ok(reply.usage_metadata && reply.usage_metadata.output_tokens > 0);
  });

  it("streamUsage: false leaves usage out of the stream (and the call option overrides it)", async () => {
    const quiet = make({ streamUsage: false });
    let aggregated: AIMessageChunk | undefined;
    for await (const chunk of await quiet.stream([new HumanMessage("hi")]))
      aggregated = aggregated ? concat(aggregated, chunk) : chunk;
    assert.equal(aggregated?.usage_metadata, undefined);
    aggregated = undefined;
    for await (const chunk of await quiet.stream([new HumanMessage("hi")], { streamUsage: true }))
      aggregated = aggregated ? concat(aggregated, chunk) : chunk;
    assert.ok(aggregated?.usage_metadata);
  });

  it("refuses content a text-only model cannot read, unless asked to drop it", async () => {
    const image = new HumanMessage({
      content: [
        { type: "text", text: "What is in this picture?" },
        { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
      ],
    });
    await assert.rejects(
      make().invoke([image]),
      /cannot read image_url content in message 0 \(human\).*dropUnsupportedContent: true/,
    );
    const reply = await make({ dropUnsupportedContent: true }).invoke([image]);
    assert.equal(typeof reply.content, "string");
  });
});
