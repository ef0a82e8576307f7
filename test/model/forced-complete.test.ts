import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { type AIMessageChunk, HumanMessage } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import { ChatNodeLlamaCpp, OutputBudgetError } from "../../src/models/chat/index.js";
import { compileTool } from "../../src/tools/index.js";
import { testModelPath } from "../helpers/test-models.js";

/**
 * "Every forced call parses and validates, whatever the weights do": random-weight models
 * (three weight seeds) decode greedily, which for a random model means long runs inside
 * unbounded strings, and the budget is small. Every call must come back complete, valid under
 * the tool's schema and within maxTokens; a call closed at the budget says so.
 */

const SCHEMAS: Array<{ name: string; schema: Record<string, unknown> }> = [
  { name: "free_text", schema: obj({ text: { type: "string" } }, ["text"]) },
  {
    name: "two_strings",
    schema: obj({ title: { type: "string" }, body: { type: "string", minLength: 5 } }, [
      "title",
      "body",
    ]),
  },
  {
    name: "string_list",
    schema: obj({ items: { type: "array", items: { type: "string" } } }, ["items"]),
  },
  {
    name: "tag_list_min",
    schema: obj({ tags: { type: "array", items: { type: "string" }, minItems: 3 } }, ["tags"]),
  },
  {
    name: "nested",
    schema: obj(
      {
        person: obj(
          {
            name: { type: "string" },
            address: obj({ city: { type: "string" }, zip: { type: "string" } }, ["city"]),
          },
          ["name", "address"],
        ),
        note: { type: "string" },
      },
      ["person"],
    ),
  },
  {
    name: "records",
    schema: obj(
      {
        rows: {
          type: "array",
          items: obj({ key: { type: "string" }, value: { type: "string" } }, ["key", "value"]),
          minItems: 1,
        },
      },
      ["rows"],
    ),
  },
  {
    name: "mixed",
    schema: obj(
      {
        query: { type: "string" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        limit: { type: "integer" },
        exact: { type: "boolean" },
        filters: { type: "array", items: { type: "string" } },
      },
      ["query", "limit"],
    ),
  },
  {
    // An optional object with many required keys: its smallest value is null, but once the
    // model opens it, closing it takes every required key.
    name: "optional_filter",
    schema: obj(
      {
        query: { type: "string" },
        filter: obj(
          Object.fromEntries(
            ["alpha", "beta", "gamma", "delta", "epsilon"].map((key) => [key, { type: "string" }]),
          ),
          ["alpha", "beta", "gamma", "delta", "epsilon"],
        ),
      },
      ["query"],
    ),
  },
  {
    name: "optional_only",
    schema: obj({ comment: { type: "string" }, score: { type: "number" } }, []),
  },
];

function obj(properties: Record<string, unknown>, required: string[]): Record<string, unknown> {
  return { type: "object", properties, required };
}

const tools = SCHEMAS.map(({ name, schema }) => ({
  type: "function" as const,
  function: { name, description: `Tool ${name}.`, parameters: schema },
}));

const chats: ChatNodeLlamaCpp[] = [];
after(async () => {
  for (const chat of chats) await chat.dispose();
});

describe("forced calls are complete, valid and within maxTokens whatever the weights do", () => {
  it("jump-forward: every schema × 3 weight seeds × budgets 96, 160", async (t) => {
    let calls = 0;
    let closedAtBudget = 0;
    for (const seed of [1, 2, 3]) {
      const chat = new ChatNodeLlamaCpp({
        modelPath: await testModelPath({ family: "qwen", seed }),
        contextSize: 8192,
      });
      chats.push(chat);
      for (const [index, { name, schema }] of SCHEMAS.entries()) {
        const tool = compileTool({ name, schema });
        for (const maxTokens of [96, 160]) {
          const reply = await chat
            .bindTools(tools, { tool_choice: name })
            .invoke([new HumanMessage(`Call ${name} (case ${index}).`)], { maxTokens } as never);
          calls++;
          const where = `${name}, seed ${seed}, maxTokens ${maxTokens}`;
          assert.deepEqual(reply.invalid_tool_calls, [], where);
          assert.equal(reply.tool_calls?.length, 1, where);
          const call = reply.tool_calls![0];
          assert.equal(call.name, name, where);
          const checked = tool.validate(call.args);
          assert.ok(
            checked.ok,
            `${where}: ${JSON.stringify(call.args)} ${checked.ok ? "" : checked.error}`,
          );
          const used = reply.usage_metadata?.output_tokens ?? Number.POSITIVE_INFINITY;
          assert.ok(used <= maxTokens, `${where}: ${used} output tokens`);
          if (reply.response_metadata.stopReason === "maxTokens") {
            assert.equal(reply.response_metadata.closedAtBudget, true, where);
            closedAtBudget++;
          }
        }
      }
    }
    t.diagnostic(
      `${calls} forced calls, all complete and valid; ${closedAtBudget} closed at the budget`,
    );
    assert.equal(calls, SCHEMAS.length * 3 * 2);
    // Greedy random weights run into the budget: the guarantee was exercised, not avoided.
    assert.ok(closedAtBudget > calls / 4, `${closedAtBudget} of ${calls} closed at the budget`);
  });
  it("one grammar for the whole call (jumpForward off) and structured output: same guarantee", async (t) => {
    let calls = 0;
    let closedAtBudget = 0;
    for (const seed of [1, 2]) {
      const chat = new ChatNodeLlamaCpp({
        modelPath: await testModelPath({ family: "qwen", seed }),
        contextSize: 8192,
        jumpForward: false,
      });
      chats.push(chat);
      for (const { name, schema } of SCHEMAS) {
        const tool = compileTool({ name, schema });
        const maxTokens = 160;
        const where = `${name}, seed ${seed}`;
        const reply = await chat
          .bindTools(tools, { tool_choice: name })
          .invoke([new HumanMessage(`Call ${name}.`)], { maxTokens } as never);
        assert.deepEqual(reply.invalid_tool_calls, [], where);
        const checked = tool.validate(reply.tool_calls?.[0]?.args);
        assert.ok(checked.ok, `${where}: ${checked.ok ? "" : checked.error}`);
        assert.ok((reply.usage_metadata?.output_tokens ?? Infinity) <= maxTokens, where);
        const structured = await chat
          .withStructuredOutput(schema, { name, includeRaw: true })
          .invoke([new HumanMessage(`Fill ${name}.`)], { maxTokens } as never);
        assert.ok(tool.validate(structured.parsed).ok, `${where} (structured)`);
        const raw = structured.raw as {
          usage_metadata?: { output_tokens: number };
          response_metadata: Record<string, unknown>;
        };
        assert.ok(
          (raw.usage_metadata?.output_tokens ?? Infinity) <= maxTokens,
          `${where} (structured)`,
        );
        calls += 2;
        for (const metadata of [reply.response_metadata, raw.response_metadata]) {
          if (metadata.closedAtBudget === true) {
            assert.equal(metadata.stopReason, "maxTokens");
            closedAtBudget++;
          }
        }
      }
    }
    t.diagnostic(`${calls} calls, all complete and valid; ${closedAtBudget} closed at the budget`);
    assert.ok(closedAtBudget > 0, `${closedAtBudget} of ${calls} closed at the budget`);
  });
});

/** The budget a call needs at least, read from the error a 1-token budget gets. */
async function minimumBudget(run: (maxTokens: number) => Promise<unknown>): Promise<number> {
  try {
    await run(1);
  } catch (error) {
    assert.ok(error instanceof OutputBudgetError, String(error));
    return error.minimumTokens;
  }
  assert.fail("a 1-token budget was accepted");
}

describe("budgets at and just above the shortest complete output", () => {
  /** Output of one call: complete, valid, within the budget, honestly counted. */
  function checkUsage(
    reply: {
      usage_metadata?: { output_tokens: number };
      response_metadata: Record<string, unknown>;
    },
    maxTokens: number,
    where: string,
  ): boolean {
    const metadata = reply.response_metadata;
    const used = reply.usage_metadata?.output_tokens ?? Number.POSITIVE_INFINITY;
    assert.ok(used <= maxTokens, `${where}: ${used} output tokens`);
    assert.equal(used, Number(metadata.sampledTokens) + Number(metadata.fedTokens), where);
    const closed = metadata.closedAtBudget === true;
    if (closed) assert.equal(metadata.stopReason, "maxTokens", where);
    return closed;
  }

  it("below the minimum: a clear error naming it, before a sequence is taken", async () => {
    const chat = new ChatNodeLlamaCpp({ modelPath: await testModelPath({ family: "qwen" }) });
    chats.push(chat);
    const bound = chat.bindTools(tools, { tool_choice: "nested" });
    const minimum = await minimumBudget((maxTokens) =>
      bound.invoke([new HumanMessage("Call nested.")], { maxTokens } as never),
    );
    await assert.rejects(
      bound.invoke([new HumanMessage("Call nested.")], { maxTokens: minimum - 1 } as never),
      (error: Error) =>
        error instanceof OutputBudgetError &&
        error.message.includes(`at least ${minimum}`) &&
        error.message.includes(`maxTokens ${minimum - 1}`),
    );
    assert.equal(chat.queueStats?.busy, 0);
    const reply = await bound.invoke([new HumanMessage("Call nested.")], {
      maxTokens: minimum,
    } as never);
    assert.equal(reply.usage_metadata?.output_tokens, minimum);
    assert.equal(reply.response_metadata.sampledTokens, 0);
    assert.ok(
      compileTool({ name: "nested", schema: SCHEMAS[4].schema }).validate(
        reply.tool_calls?.[0]?.args,
      ).ok,
    );
  });

  it("every schema × 3 seeds × budgets from the minimum to twice it: within maxTokens, valid", async (t) => {
    let calls = 0;
    let closed = 0;
    const budgets = new Set<string>();
    for (const seed of [1, 2, 3]) {
      for (const jumpForward of [true, false]) {
        const chat = new ChatNodeLlamaCpp({
          modelPath: await testModelPath({ family: "qwen", seed }),
          contextSize: 4096,
          jumpForward,
        });
        chats.push(chat);
        for (const { name, schema } of SCHEMAS) {
          const tool = compileTool({ name, schema });
          const forced = (maxTokens: number) =>
            chat
              .bindTools(tools, { tool_choice: name })
              .invoke([new HumanMessage(`Call ${name}.`)], { maxTokens } as never);
          const structured = (maxTokens: number) =>
            chat
              .withStructuredOutput(schema, { name, includeRaw: true })
              .invoke([new HumanMessage(`Fill ${name}.`)], { maxTokens } as never);
          const forcedMinimum = await minimumBudget(forced);
          const structuredMinimum = await minimumBudget(structured);
          for (const extra of [0, 1, 2, 3, 5, 8]) {
            const maxTokens = forcedMinimum + extra;
            const where = `${name}, seed ${seed}, jumpForward ${jumpForward}, maxTokens ${maxTokens}`;
            const reply = await forced(maxTokens);
            assert.deepEqual(reply.invalid_tool_calls, [], where);
            const checked = tool.validate(reply.tool_calls?.[0]?.args);
            assert.ok(checked.ok, `${where}: ${JSON.stringify(reply.tool_calls)}`);
            if (checkUsage(reply, maxTokens, where)) closed++;
            const budget = structuredMinimum + extra;
            const output = await structured(budget);
            assert.ok(tool.validate(output.parsed).ok, `${where} (structured)`);
            if (checkUsage(output.raw as never, budget, `${where} (structured)`)) closed++;
            calls += 2;
            budgets.add(`${forcedMinimum}/${structuredMinimum}`);
          }
        }
      }
    }
    t.diagnostic(
      `${calls} calls at budgets of minimum + 0…8, all valid within maxTokens; ${closed} closed at the budget; minimums (forced/structured) seen: ${[...budgets].join(" ")}`,
    );
    assert.ok(closed > calls / 2, `${closed} of ${calls} closed at the budget`);
  });
});

describe("under one grammar, a stream cut to where its closing fits equals invoke", () => {
  it("every schema, forced call and structured output (response_format), budget 160", async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen", seed: 2 }),
      contextSize: 4096,
      jumpForward: false,
    });
    chats.push(chat);
    const collect = async (stream: AsyncIterable<AIMessageChunk>) => {
      let aggregate: AIMessageChunk | undefined;
      for await (const chunk of stream) aggregate = aggregate ? concat(aggregate, chunk) : chunk;
      return aggregate!;
    };
    for (const { name, schema } of SCHEMAS) {
      const options = { maxTokens: 160 } as never;
      const forced = chat.bindTools(tools, { tool_choice: name });
      const question = [new HumanMessage(`Call ${name}.`)];
      const invoked = await forced.invoke(question, options);
      const streamed = await collect(await forced.stream(question, options));
      assert.deepEqual(
        streamed.tool_calls?.map((call) => [call.name, call.args]),
        invoked.tool_calls?.map((call) => [call.name, call.args]),
        name,
      );
      const format = { response_format: { type: "json_schema", schema, name }, maxTokens: 160 };
      const output = await chat.invoke([new HumanMessage(`Fill ${name}.`)], format as never);
      const outputStream = await collect(
        await chat.stream([new HumanMessage(`Fill ${name}.`)], format as never),
      );
      assert.equal(outputStream.content, output.content, `${name} (structured)`);
      assert.ok(compileTool({ name, schema }).validate(JSON.parse(String(output.content))).ok);
    }
  });
});

describe("a forced call with room to spare", () => {
  let chat: ChatNodeLlamaCpp | undefined;
  after(async () => chat?.dispose());

  it("is not reported as cut when each value ends on its own (jump-forward)", async () => {
    chat = new ChatNodeLlamaCpp({ modelPath: await testModelPath(), maxTokens: 256 });
    const weather = {
      type: "function" as const,
      function: {
        name: "get_weather",
        description: "Weather for a city",
        parameters: {
          type: "object",
          properties: {
            city: { type: "string", maxLength: 12 },
            unit: { type: "string", enum: ["celsius", "fahrenheit"] },
          },
          required: ["city", "unit"],
        },
      },
    };
    const bound = chat.bindTools([weather], { tool_choice: "get_weather" });
    for (const seed of [1, 2, 3]) {
      const reply = await bound.invoke([new HumanMessage("Weather in Oslo?")], {
        seed,
        temperature: 1,
      });
      assert.equal(reply.response_metadata.decoding, "jump-forward");
      // A value that ends when its grammar completes is not a value the budget cut off: the call
      // keeps every later value, and the stop reason says the model finished.
      assert.notEqual(reply.response_metadata.stopReason, "maxTokens", `seed ${seed}`);
      assert.notEqual(reply.response_metadata.closedAtBudget, true);
      assert.ok(["celsius", "fahrenheit"].includes(String(reply.tool_calls?.[0]?.args.unit)));
    }
  });
});
