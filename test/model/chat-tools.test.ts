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
import { concat } from "@langchain/core/utils/stream";
import { z } from "zod";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { compileTools } from "../../src/tools/index.js";
import { testModelPath } from "../helpers/test-models.js";

const shortText = (max = 24) => z.string().max(max);

// Eleven tools covering nested objects, arrays, enums, optional fields and dotted names.
const TOOLS = [
  tool(async () => "", {
    name: "weather.get",
    description: "Current weather for a city",
    schema: z.object({ city: shortText(), unit: z.enum(["celsius", "fahrenheit"]).optional() }),
  }),
  tool(async () => "", {
    name: "calendar.create_event",
    description: "Create a calendar event",
    schema: z.object({
      title: shortText(),
      attendees: z.array(shortText(16)).max(3),
      when: z.object({ day: z.enum(["mon", "tue", "wed"]), hour: z.number().int().min(0).max(23) }),
      reminder: z.object({ minutesBefore: z.number().int().min(0).max(60) }).optional(),
    }),
  }),
  tool(async () => "", {
    name: "convert_units",
    description: "Convert a quantity",
    schema: z.object({ value: z.number(), from: z.enum(["km", "mi"]), to: z.enum(["km", "mi"]) }),
  }),
  ...[
    "search",
    "email.send",
    "sql.lookup",
    "timer",
    "translate",
    "currency",
    "news",
    "stock.quote",
  ].map((name) =>
    tool(async () => "", {
      name,
      description: `The ${name} tool`,
      schema: z.object({
        query: shortText(),
        limit: z.number().int().min(1).max(5).optional(),
        flags: z.array(z.boolean()).max(2),
      }),
    }),
  ),
];

describe("ChatNodeLlamaCpp tool calling on a generated GGUF", () => {
  let chat: ChatNodeLlamaCpp;
  before(async () => {
    chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 8192,
      maxTokens: 400,
      temperature: 1,
    });
  });
  after(() => chat.dispose());

  it('tool_choice "required" yields calls that always parse and validate, across 11 tools', async () => {
    const compiled = compileTools(TOOLS);
    const bound = chat.bindTools(TOOLS, { tool_choice: "required" });
    const names = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const reply = await bound.invoke([new HumanMessage("Plan my week.")], { seed } as never);
      assert.deepEqual(reply.invalid_tool_calls, [], JSON.stringify(reply.invalid_tool_calls));
      assert.equal(reply.tool_calls?.length, 1);
      assert.equal(reply.response_metadata.decoding, "jump-forward");
      const call = reply.tool_calls![0];
      assert.match(call.id ?? "", /^call_/);
      const target = compiled.get(call.name);
      assert.ok(target, `a bound tool: ${call.name}`);
      const checked = target.validate(call.args);
      assert.ok(
        checked.ok,
        `${call.name} ${JSON.stringify(call.args)}: ${checked.ok ? "" : checked.error}`,
      );
      assert.ok(
        !Object.values(call.args).includes(null),
        "left-out optionals are omitted, not null",
      );
      names.add(call.name);
    }
    assert.ok(names.size >= 2, `the grammar lets the model pick among tools: ${[...names]}`);
  });

  it("a named tool_choice forces that tool, dotted name and all", async () => {
    const bound = chat.bindTools(TOOLS, { tool_choice: "calendar.create_event" });
    for (const seed of [7, 8]) {
      const reply = await bound.invoke([new HumanMessage("Book it.")], { seed } as never);
      assert.equal(
        reply.tool_calls?.[0]?.name,
        "calendar.create_event",
        JSON.stringify(reply.invalid_tool_calls),
      );
      // The grammar guarantees the shape; validate() is the judge of the values (a random model's
      // invalid UTF-8 can make a bounded string one character too long once decoded).
      const args = reply.tool_calls![0].args as {
        when: { day: string; hour: number };
        attendees: string[];
      };
      assert.ok(["mon", "tue", "wed"].includes(args.when.day));
      assert.ok(Number.isInteger(args.when.hour) && args.when.hour >= 0 && args.when.hour <= 23);
      assert.ok(Array.isArray(args.attendees) && args.attendees.length <= 3);
    }
    assert.throws(
      () => compileTools(TOOLS).callSchemaFor({ toolNames: ["nope"] }),
      /No tool named "nope"/,
    );
    // An unknown name fails when binding, in every provider's spelling; a per-call one when called.
    for (const tool_choice of [
      "nope",
      { type: "function", function: { name: "nope" } },
      { type: "tool", name: "nope" },
    ] as const) {
      assert.throws(
        () => chat.bindTools(TOOLS, { tool_choice }),
        /tool_choice names "nope", which is not among the bound tools/,
      );
    }
    await assert.rejects(
      chat.bindTools(TOOLS).invoke([new HumanMessage("x")], { tool_choice: "nope" }),
      /tool_choice names "nope", which is not among the bound tools/,
    );
    assert.throws(
      () => chat.bindTools(TOOLS, { tool_choice: { type: "maybe" } as never }),
      /Unsupported tool_choice .*Anthropic/,
    );
  });

  it('accepts Anthropic-style tool_choice objects: { type: "tool", name } forces that tool, { type: "any" } any', async () => {
    const named = await chat
      .bindTools(TOOLS, { tool_choice: { type: "tool", name: "calendar.create_event" } })
      .invoke([new HumanMessage("Plan a meeting")]);
    assert.deepEqual(
      named.tool_calls?.map((call) => call.name),
      ["calendar.create_event"],
    );
    const any = await chat
      .bindTools(TOOLS, { tool_choice: { type: "any" } })
      .invoke([new HumanMessage("Plan a meeting")]);
    assert.equal(any.tool_calls?.length, 1);
  });

  it("dotted tool names round-trip through a history with tool calls and results", async () => {
    const bound = chat.bindTools(TOOLS, { tool_choice: "weather.get" });
    const first = await bound.invoke([new HumanMessage("Weather in Oslo?")], { seed: 3 } as never);
    const call = first.tool_calls![0];
    assert.equal(call.name, "weather.get");
    const history = [
      new HumanMessage("Weather in Oslo?"),
      new AIMessage({ content: "", tool_calls: [call] }),
      new ToolMessage({ tool_call_id: call.id!, content: "rain, 4°C" }),
    ];
    const answer = await chat
      .bindTools(TOOLS, { tool_choice: "none" })
      .invoke(history, { maxTokens: 8 } as never);
    assert.deepEqual(answer.tool_calls, []);
    assert.equal(answer.usage_metadata?.output_tokens, 8);
  });

  it('"required", "auto" and "none" share one prompt prefix, so switching modes re-evaluates only the new turn', async () => {
    const system = new SystemMessage("You are a planner.");
    const question = new HumanMessage("What should I do today?");
    const fresh = new ChatNodeLlamaCpp({
      model: (await chat.ensureLoaded()).model,
      contextSize: 8192,
      sequences: 1,
      maxTokens: 4,
    });
    try {
      const required = await fresh
        .bindTools(TOOLS, { tool_choice: "required" })
        .invoke([system, question], { maxTokens: 400 } as never);
      const none = await fresh.bindTools(TOOLS, { tool_choice: "none" }).invoke([system, question]);
      const prompt = none.usage_metadata!.input_tokens;
      const reused = none.usage_metadata!.input_token_details!.cache_read!;
      assert.ok(prompt > 500, "the tool docs are in the prompt");
      assert.ok(
        reused >= prompt - 2,
        `reused ${reused} of ${prompt} after a required call of ${required.usage_metadata?.input_tokens}`,
      );
    } finally {
      await fresh.dispose();
    }
  });

  it("rejects a tool the grammar cannot express when it is bound, naming the tool and keyword", () => {
    const bad = tool(async () => "", {
      name: "bad",
      description: "uses not",
      schema: { type: "object", properties: { a: { not: { type: "string" } } } },
    });
    assert.throws(() => chat.bindTools([bad]), /"bad".*"not"/s);
  });
});

describe("forced parallel tool calls", () => {
  it("parallel_tool_calls with a forced choice returns several calls, each with its own id", async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 8192,
      maxTokens: 600,
      temperature: 1,
    });
    try {
      const bound = chat.bindTools(TOOLS.slice(0, 3), {
        tool_choice: "required",
        parallel_tool_calls: true,
      });
      const counts: number[] = [];
      for (const seed of [1, 2, 3, 4]) {
        const reply = await bound.invoke([new HumanMessage("Do everything.")], { seed } as never);
        assert.deepEqual(reply.invalid_tool_calls, []);
        assert.equal(
          reply.response_metadata.decoding,
          "llama-chat",
          "parallel calls use one grammar",
        );
        const ids = new Set(reply.tool_calls!.map((call) => call.id));
        assert.equal(ids.size, reply.tool_calls!.length, "ids are unique");
        counts.push(reply.tool_calls!.length);
      }
      assert.ok(counts.every((count) => count >= 1));
      assert.ok(
        counts.some((count) => count > 1),
        `some reply has several calls: ${counts}`,
      );
    } finally {
      await chat.dispose();
    }
  });
});

describe("jump-forward decoding of forced calls", () => {
  it("produces the same kind of call as one whole-call grammar, in fewer sampled tokens, and reuses the prompt", async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 8192,
      maxTokens: 400,
    });
    try {
      const forced = chat.bindTools(TOOLS, { tool_choice: "weather.get" });
      const messages = [new HumanMessage("Weather in Oslo?")];
      const first = await forced.invoke(messages);
      const again = await forced.invoke(messages);
      assert.equal(first.response_metadata.decoding, "jump-forward");
      assert.deepEqual(
        again.tool_calls?.[0]?.args,
        first.tool_calls?.[0]?.args,
        "greedy: deterministic",
      );
      assert.ok(compileTools(TOOLS).get("weather.get")!.validate(first.tool_calls![0].args).ok);
      // The envelope and keys are fed, not sampled: the call's output counts more tokens than
      // the model sampled (the difference shows in the sequence's input meter).
      const runtime = await chat.ensureLoaded();
      const meter = runtime.pool.all[0].tokenMeter;
      assert.ok(
        meter.usedOutputTokens <
          first.usage_metadata!.output_tokens + again.usage_metadata!.output_tokens,
      );
      assert.ok(
        (again.usage_metadata!.input_token_details?.cache_read ?? 0) >=
          again.usage_metadata!.input_tokens - 1,
      );
    } finally {
      await chat.dispose();
    }
  });
});

describe("streaming forced calls and structured output", () => {
  it("a streamed forced call and streamed structured output aggregate to what invoke returns", async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 8192,
      maxTokens: 400,
    });
    try {
      const forced = chat.bindTools(TOOLS, { tool_choice: "required" });
      const messages = [new HumanMessage("Convert 3 km to miles.")];
      const invoked = await forced.invoke(messages);
      let streamed: AIMessageChunk | undefined;
      for await (const chunk of await forced.stream(messages))
        streamed = streamed ? concat(streamed, chunk) : chunk;
      assert.equal(streamed?.tool_calls?.length, 1);
      assert.equal(streamed?.tool_calls?.[0]?.name, invoked.tool_calls?.[0]?.name);
      assert.deepEqual(streamed?.tool_calls?.[0]?.args, invoked.tool_calls?.[0]?.args);

      const schema = z.object({ route: z.enum(["direct", "tools"]), reason: z.string().max(20) });
      const structured = chat.withStructuredOutput(schema);
      const direct = await structured.invoke(messages);
      let last: unknown;
      for await (const value of await structured.stream(messages)) last = value;
      assert.deepEqual(last, direct);
    } finally {
      await chat.dispose();
    }
  });
});
