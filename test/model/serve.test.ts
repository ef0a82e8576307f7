import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AIMessageChunk } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { concat } from "@langchain/core/utils/stream";
import { ChatOpenAI } from "@langchain/openai";
import type OpenAI from "openai";
import { z } from "zod";
import type { RunningServer } from "../../src/serve/index.js";
import { type ServedTestModel, serveTestModel } from "../helpers/serve-fixture.js";

// A generated model writes noise: these tests assert the protocol and the guarantees (complete,
// schema-valid calls and JSON), never the words.

const Weather = z.object({
  city: z.string().max(12),
  unit: z.enum(["celsius", "fahrenheit"]),
  days: z.number().int().min(1).max(5),
});
const Note = z.object({ title: z.string().max(10), tags: z.array(z.enum(["a", "b", "c"])).max(2) });
const Verdict = z.object({
  answer: z.enum(["yes", "no"]),
  confidence: z.number().int().min(0).max(9),
});

function functionTool(
  name: string,
  description: string,
  schema: z.ZodType,
): OpenAI.ChatCompletionFunctionTool {
  const parameters = z.toJSONSchema(schema) as Record<string, unknown>;
  return { type: "function", function: { name, description, parameters } };
}
const weatherTool = functionTool("get_weather", "Weather forecast for a city", Weather);
const noteTool = functionTool("save_note", "Save a note", Note);
const SCHEMAS: Record<string, z.ZodType> = { get_weather: Weather, save_note: Note };

function assertValidCall(call: { function: { name: string; arguments: string } }): void {
  const schema = SCHEMAS[call.function.name];
  assert.ok(schema, `unknown tool ${call.function.name}`);
  const parsed = schema.safeParse(JSON.parse(call.function.arguments));
  assert.ok(parsed.success, `${call.function.arguments} fails ${call.function.name}'s schema`);
}

const user = (content: string) => [{ role: "user" as const, content }];

describe("hearth serve with the official openai client and LangChain's ChatOpenAI", () => {
  let served: ServedTestModel;
  let server: RunningServer;
  let client: OpenAI;
  let model: string;

  before(async () => {
    served = await serveTestModel(
      { contextSize: 4096, sequences: 2, maxQueue: 8 },
      { maxBodyBytes: 64 * 1024 },
    );
    ({ server, client } = served);
    model = server.modelId;
  });
  after(() => served.close());

  it("lists its model and reports health", async () => {
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((entry) => entry.id),
      [model],
    );
    const health = await (await fetch(`${server.url}/health`)).json();
    assert.deepEqual(health, { status: "ok", sequences: 2, busy: 0, waiting: 0 });
  });

  it("answers a chat completion with OpenAI's shape and honest usage", async () => {
    const reply = await client.chat.completions.create({
      model,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: "Answer in English." },
        ...user("Hello there"),
      ],
      max_tokens: 12,
      temperature: 0,
    });
    assert.equal(reply.object, "chat.completion");
    assert.equal(reply.model, model);
    assert.match(reply.id, /^chatcmpl-/);
    const choice = reply.choices[0];
    assert.equal(choice.message.role, "assistant");
    assert.equal(typeof choice.message.content, "string");
    assert.ok(["stop", "length"].includes(choice.finish_reason));
    const usage = reply.usage!;
    assert.ok(usage.prompt_tokens > 0);
    assert.ok(usage.completion_tokens > 0 && usage.completion_tokens <= 12);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.equal(choice.finish_reason === "length", usage.completion_tokens === 12);
  });

  it("stop, max_completion_tokens, top_p and seed shape the generation", async () => {
    const base = { model, messages: user("Go on"), temperature: 0 };
    const free = await client.chat.completions.create({ ...base, max_tokens: 30 });
    const text = free.choices[0].message.content!;
    // Stop at a piece of the greedy text: the same greedy run ends just before it.
    const stop = text.slice(8, 12);
    assert.equal(stop.length, 4);
    const stopped = await client.chat.completions.create({ ...base, max_tokens: 30, stop: [stop] });
    assert.equal(stopped.choices[0].finish_reason, "stop");
    assert.equal(stopped.choices[0].message.content, text.slice(0, text.indexOf(stop)));

    const capped = await client.chat.completions.create({ ...base, max_completion_tokens: 5 });
    assert.equal(capped.usage!.completion_tokens, 5);
    assert.equal(capped.choices[0].finish_reason, "length");

    const sampled = {
      model,
      messages: user("Go on"),
      max_tokens: 16,
      temperature: 1.2,
      top_p: 0.9,
    };
    const a = await client.chat.completions.create({ ...sampled, seed: 11 });
    const b = await client.chat.completions.create({ ...sampled, seed: 11 });
    assert.equal(a.choices[0].message.content, b.choices[0].message.content);
  });

  it("reports the KV-cached prefix of a follow-up turn as cached_tokens", async () => {
    const first = [
      { role: "system" as const, content: "You keep notes." },
      ...user("Remember 42."),
    ];
    const a = await client.chat.completions.create({
      model,
      messages: first,
      max_tokens: 6,
      temperature: 0,
    });
    const b = await client.chat.completions.create({
      model,
      messages: [
        ...first,
        { role: "assistant", content: a.choices[0].message.content },
        ...user("And?"),
      ],
      max_tokens: 6,
      temperature: 0,
    });
    const cached = b.usage!.prompt_tokens_details!.cached_tokens!;
    assert.ok(
      cached >= a.usage!.prompt_tokens - 2,
      `cached ${cached} of ${b.usage!.prompt_tokens}`,
    );
    assert.ok(cached < b.usage!.prompt_tokens);
  });

  it("streams deltas that concatenate to the same text, then a usage chunk and [DONE]", async () => {
    const request = { model, messages: user("Tell me a story"), max_tokens: 24, temperature: 0 };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    let deltas = 0;
    for await (const chunk of stream) {
      assert.equal(chunk.object, "chat.completion.chunk");
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.delta.content) {
        text += choice.delta.content;
        deltas++;
      }
      finish = choice.finish_reason ?? finish;
    }
    assert.ok(deltas > 1, "the text arrives in several deltas");
    assert.equal(text, whole.choices[0].message.content);
    assert.equal(finish, whole.choices[0].finish_reason);
    assert.equal(usage?.completion_tokens, whole.usage?.completion_tokens);
    // The raw wire ends with the sentinel.
    const raw = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...request, max_tokens: 3, stream: true }),
    });
    assert.equal(raw.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.match(await raw.text(), /data: \[DONE\]\n\n$/);
  });

  it('tool_choice "required" and a named tool give calls that parse and validate', async () => {
    for (const seed of [1, 2, 3]) {
      const reply = await client.chat.completions.create({
        model,
        messages: user("What should I do?"),
        tools: [weatherTool, noteTool],
        tool_choice: "required",
        parallel_tool_calls: false,
        max_tokens: 200,
        temperature: 1,
        seed,
      });
      const choice = reply.choices[0];
      // "length" when the token limit closed the call: it is still complete and valid.
      assert.ok(["tool_calls", "length"].includes(choice.finish_reason), choice.finish_reason);
      assert.equal(choice.message.tool_calls?.length, 1);
      for (const call of choice.message.tool_calls ?? []) {
        assert.equal(call.type, "function");
        assertValidCall(call as OpenAI.ChatCompletionMessageFunctionToolCall);
      }
    }
    const named = await client.chat.completions.create({
      model,
      messages: user("Save something"),
      tools: [weatherTool, noteTool],
      tool_choice: { type: "function", function: { name: "save_note" } },
      parallel_tool_calls: false,
      max_tokens: 200,
      seed: 7,
    });
    const call = named.choices[0].message
      .tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.equal(call.function.name, "save_note");
    assertValidCall(call);
  });

  it("parallel_tool_calls lets a forced choice return several calls, each valid", async () => {
    const reply = await client.chat.completions.create({
      model,
      messages: user("Plan"),
      tools: [weatherTool],
      tool_choice: "required",
      max_tokens: 400,
      temperature: 0,
    });
    const choice = reply.choices[0];
    // A random model may not close the array before the token limit; when it does, every call is whole.
    if (choice.finish_reason === "tool_calls") {
      assert.ok(choice.message.tool_calls!.length >= 1);
      for (const call of choice.message.tool_calls!) {
        assertValidCall(call as OpenAI.ChatCompletionMessageFunctionToolCall);
      }
    } else {
      assert.equal(choice.finish_reason, "length");
      assert.equal(choice.message.tool_calls, undefined);
      assert.match(choice.message.content ?? "", /^\s*\[/);
    }
  });

  it("streams a forced call as tool-call deltas that assemble into the same valid call", async () => {
    const request = {
      model,
      messages: user("Weather please"),
      tools: [weatherTool, noteTool],
      tool_choice: "required" as const,
      parallel_tool_calls: false,
      max_tokens: 200,
      temperature: 0,
    };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true });
    const calls: Array<{ id?: string; name: string; arguments: string }> = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      for (const delta of choice?.delta.tool_calls ?? []) {
        calls[delta.index] ??= { name: "", arguments: "" };
        const entry = calls[delta.index];
        if (delta.id) entry.id = delta.id;
        entry.name += delta.function?.name ?? "";
        entry.arguments += delta.function?.arguments ?? "";
      }
      finish = choice?.finish_reason ?? finish;
    }
    assert.ok(finish === "tool_calls" || finish === "length", String(finish));
    assert.equal(calls.length, 1);
    assert.match(calls[0].id ?? "", /^call_/);
    assertValidCall({ function: calls[0] });
    const expected = whole.choices[0].message
      .tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    assert.equal(calls[0].name, expected.function.name);
    assert.deepEqual(JSON.parse(calls[0].arguments), JSON.parse(expected.function.arguments));
  });

  it("a forced call cut by max_tokens is closed within its schema: finish_reason length, a valid call, whole and streamed", async () => {
    const base = {
      model,
      messages: user("Weather please"),
      tools: [weatherTool],
      tool_choice: "required" as const,
      parallel_tool_calls: false,
      temperature: 0,
    };
    // Below the shortest complete call: refused, naming the budget that works.
    let minimum = 0;
    await assert.rejects(
      client.chat.completions.create({ ...base, max_tokens: 6 }),
      (error: InstanceType<typeof OpenAI.APIError>) => {
        minimum = Number(/at least (\d+)/.exec(error.message)?.[1]);
        return error.status === 400 && minimum > 6;
      },
    );
    // A few tokens above it: the call is cut by max_tokens and closed.
    const request = { ...base, max_tokens: minimum + 4 };
    const whole = await client.chat.completions.create(request);
    assert.equal(whole.choices[0].finish_reason, "length");
    const calls = whole.choices[0].message.tool_calls ?? [];
    assert.equal(calls.length, 1);
    const call = calls[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    const args = JSON.parse(call.function.arguments) as Record<string, unknown>;
    assert.equal(typeof args.city, "string");
    let streamedArgs = "";
    let finish: string | null = null;
    for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? [])
        streamedArgs += delta.function?.arguments ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(finish, "length");
    assert.deepEqual(JSON.parse(streamedArgs), args);
  });

  it("continues after a tool result (assistant tool_calls + tool message)", async () => {
    const first = await client.chat.completions.create({
      model,
      messages: user("Weather in Oslo?"),
      tools: [weatherTool],
      tool_choice: "required",
      parallel_tool_calls: false,
      max_tokens: 200,
      seed: 3,
    });
    const call = first.choices[0].message.tool_calls![0];
    const second = await client.chat.completions.create({
      model,
      messages: [
        ...user("Weather in Oslo?"),
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: "sunny, 21 degrees" },
      ],
      tools: [weatherTool],
      tool_choice: "none",
      max_tokens: 8,
    });
    assert.equal(second.choices[0].message.tool_calls, undefined);
    assert.equal(typeof second.choices[0].message.content, "string");
    // The tool result is part of the prompt the model saw.
    assert.ok(second.usage!.prompt_tokens > first.usage!.prompt_tokens);
  });

  it("response_format json_schema (strict) is schema-valid JSON, whole and streamed", async () => {
    const response_format = {
      type: "json_schema" as const,
      json_schema: {
        name: "verdict",
        strict: true,
        schema: z.toJSONSchema(Verdict) as Record<string, unknown>,
      },
    };
    for (const seed of [1, 2]) {
      const reply = await client.chat.completions.create({
        model,
        messages: user("Is it raining?"),
        response_format,
        max_tokens: 100,
        temperature: 1,
        seed,
      });
      assert.equal(reply.choices[0].finish_reason, "stop");
      Verdict.parse(JSON.parse(reply.choices[0].message.content!));
    }
    const stream = await client.chat.completions.create({
      model,
      messages: user("Is it raining?"),
      response_format,
      max_tokens: 100,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    Verdict.parse(JSON.parse(text));
  });

  it("response_format json_object gives a JSON object or stops on the token limit", async () => {
    const reply = await client.chat.completions.create({
      model,
      messages: user("JSON please"),
      response_format: { type: "json_object" },
      max_tokens: 120,
      temperature: 0,
    });
    const { content } = reply.choices[0].message;
    assert.match(content ?? "", /^\s*\{/);
    if (reply.choices[0].finish_reason === "stop") {
      const value = JSON.parse(content!);
      assert.equal(typeof value, "object");
      assert.ok(!Array.isArray(value));
    } else {
      assert.equal(reply.choices[0].finish_reason, "length");
    }
  });

  it("LangChain's ChatOpenAI: invoke, stream, forced tool calls and structured output", async () => {
    const llm = new ChatOpenAI({
      model,
      apiKey: "unused",
      configuration: { baseURL: `${server.url}/v1` },
      maxRetries: 0,
      maxTokens: 16,
      temperature: 0,
    });
    const invoked = await llm.invoke("Hello");
    assert.equal(typeof invoked.content, "string");
    assert.ok((invoked.usage_metadata?.output_tokens ?? 0) > 0);

    let streamed: AIMessageChunk | undefined;
    for await (const chunk of await llm.stream("Hello")) {
      streamed = streamed ? concat(streamed, chunk) : chunk;
    }
    assert.ok(streamed instanceof AIMessageChunk);
    assert.equal(streamed.content, invoked.content);
    assert.equal(streamed.usage_metadata?.output_tokens, invoked.usage_metadata?.output_tokens);

    const weather = tool(async () => "", {
      name: "get_weather",
      description: "Weather forecast for a city",
      schema: Weather,
    });
    const openAt = (maxTokens: number) =>
      new ChatOpenAI({
        model,
        apiKey: "unused",
        configuration: { baseURL: `${server.url}/v1` },
        maxRetries: 0,
        maxTokens,
      });
    const withTools = openAt(200).bindTools([weather], {
      tool_choice: "required",
      parallel_tool_calls: false,
    });
    const called = await withTools.invoke("Weather in Paris?");
    assert.equal(called.tool_calls?.length, 1);
    assert.equal(called.tool_calls![0].name, "get_weather");
    Weather.parse(called.tool_calls![0].args);
    let streamedCall: AIMessageChunk | undefined;
    for await (const chunk of await withTools.stream("Weather in Rome?")) {
      streamedCall = streamedCall ? concat(streamedCall, chunk) : chunk;
    }
    assert.equal(streamedCall?.tool_calls?.length, 1);
    Weather.parse(streamedCall!.tool_calls![0].args);

    const structured = openAt(100).withStructuredOutput(Verdict, { name: "verdict" });
    const verdict = await structured.invoke("Is it raining?");
    assert.deepEqual(Verdict.parse(verdict), verdict);
  });
});
