import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tool } from "@langchain/core/tools";
import { LlamaCompletion } from "node-llama-cpp";
import { z } from "zod";
import { getHearthLlama } from "../../src/models/runtime/index.js";
import {
  compileTools,
  createJsonGrammar,
  getJsonGrammar,
  getToolCallGrammar,
  tightenJsonGrammar,
} from "../../src/tools/index.js";
import { testModelPath } from "../helpers/test-models.js";

const order = tool(async () => "", {
  name: "shop.order",
  description: "Places an order",
  schema: z.object({
    customer: z.object({
      name: z.string().max(20),
      address: z.object({ city: z.string(), zip: z.string().optional() }),
    }),
    items: z
      .array(z.object({ sku: z.string(), quantity: z.number().int().min(1).max(9) }))
      .min(1)
      .max(3),
    priority: z.enum(["low", "normal", "high"]),
    note: z.string().optional(),
    gift: z.boolean().nullable(),
  }),
});

const many = Array.from({ length: 12 }, (_, index) =>
  tool(async () => "", {
    name: `tool ${index}`,
    description: `Tool ${index}`,
    schema: z.object({ value: z.number(), mode: z.enum(["a", "b"]).optional() }),
  }),
);

describe("tool-call grammars with node-llama-cpp", () => {
  it("compiles nested objects, arrays, enums, optionals and 12 more tools into one grammar", async () => {
    const llama = await getHearthLlama();
    const set = compileTools([order, ...many]);
    const grammar = await getToolCallGrammar(llama, set);
    assert.match(grammar.grammar, /^root ::= /m);
    assert.ok(grammar.grammar.includes('\\"shop_order\\"'));
    assert.ok(grammar.grammar.includes('\\"tool_11\\"'));
    const text = JSON.stringify({
      name: "shop_order",
      arguments: {
        customer: { name: "Ada", address: { city: "Paris", zip: null } },
        items: [{ sku: "A-1", quantity: 2 }],
        priority: "high",
        note: null,
        gift: null,
      },
    });
    const [call] = grammar.parseCalls(text);
    assert.equal(call.name, "shop.order");
    assert.deepEqual(call.validation, {
      ok: true,
      value: {
        customer: { name: "Ada", address: { city: "Paris" } },
        items: [{ sku: "A-1", quantity: 2 }],
        priority: "high",
        gift: null,
      },
    });
  });

  it("rejects text outside the call schema when parsing", async () => {
    const llama = await getHearthLlama();
    const grammar = await getToolCallGrammar(llama, [order, ...many]);
    assert.throws(() => grammar.parse(JSON.stringify({ name: "nope", arguments: {} })));
    assert.throws(() =>
      grammar.parse(JSON.stringify({ name: "tool_3", arguments: { value: 1, mode: "c" } })),
    );
    // node-llama-cpp requires every declared property; left-out optionals must be written as null.
    assert.throws(() => grammar.parse(JSON.stringify({ name: "tool_3", arguments: { value: 1 } })));
  });

  it("caches grammars per tool set, Llama and options", async () => {
    const llama = await getHearthLlama();
    const set = compileTools(many);
    const single = getToolCallGrammar(llama, set);
    assert.equal(getToolCallGrammar(llama, many), single);
    const parallel = getToolCallGrammar(llama, set, { parallel: true });
    assert.notEqual(parallel, single);
    assert.equal(getToolCallGrammar(llama, set, { parallel: true }), parallel);
    const calls = (await parallel).parseCalls(
      JSON.stringify([
        { name: "tool_0", arguments: { value: 1, mode: null } },
        { name: "tool_5", arguments: { value: 2.5, mode: "b" } },
      ]),
    );
    assert.deepEqual(
      calls.map((call) => [call.name, call.args]),
      [
        ["tool 0", { value: 1 }],
        ["tool 5", { value: 2.5, mode: "b" }],
      ],
    );
  });

  it("gives a real grammar where node-llama-cpp alone gives a null one (anyOf)", async () => {
    const llama = await getHearthLlama();
    const raw = {
      type: "object",
      properties: { v: { anyOf: [{ type: "string" }, { type: "number" }] } },
    } as const;
    // biome-ignore lint/suspicious/noExplicitAny: demonstrating node-llama-cpp's behaviour on a schema its types reject
    const plain = await llama.createGrammarForJsonSchema(raw as any);
    assert.match(plain.grammar, /"\\"v\\"" ":" \[ \]\? null-rule/);
    const compiled = compileTools([{ name: "u", schema: raw }]).tools[0];
    const ours = await createJsonGrammar(llama, compiled.grammarSchema);
    assert.ok(!/"\\"v\\"" ":" \[ \]\? null-rule/.test(ours.grammar));
    assert.deepEqual(ours.parse('{"v": 2}'), { v: 2 });
    assert.deepEqual(ours.parse('{"v": "x"}'), { v: "x" });
  });

  it("getJsonGrammar builds a schema's grammar once and reuses it", async () => {
    const llama = await getHearthLlama();
    const compiled = compileTools([
      { name: "once", schema: { type: "object", properties: { a: { type: "string" } } } },
    ]).tools[0];
    const first = await getJsonGrammar(llama, compiled.grammarSchema);
    assert.equal(await getJsonGrammar(llama, compiled.grammarSchema), first);
    const other = compileTools([
      { name: "other", schema: { type: "object", properties: { b: { type: "string" } } } },
    ]).tools[0];
    assert.notEqual(await getJsonGrammar(llama, other.grammarSchema), first);
  });

  it("tightens node-llama-cpp's number and string rules", () => {
    const gbnf = [
      'root ::= "{" integer-number-rule fractional-number-rule string-rule string-0-5-rule "}"',
      'string-char-rule ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ["\\\\/bfnrt] | "\\\\u" [0-9a-fA-F]{4}',
      'string-0-5-rule ::= "\\"" ( string-char-rule ){0,5} "\\""',
      'string-rule ::= "\\"" string-char-rule* "\\""',
      'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
      'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
    ].join("\n");
    const tightened = tightenJsonGrammar(gbnf);
    assert.match(tightened, /^integer-number-rule ::= "-"\? \("0" \| \[1-9\] \[0-9\]\{0,14\}\)$/m);
    assert.match(tightened, /^fractional-number-rule ::= .*\[eE\] \[-\+\]\? \[0-9\]\{1,2\}\)\?$/m);
    assert.match(tightened, /^string-0-5-rule ::= .*bmp-string-char-rule/m);
    assert.match(tightened, /^string-rule ::= "\\"" string-char-rule\* "\\""$/m);
    assert.match(tightened, /^bmp-string-char-rule ::= \[.*\\uFFFF\]/m);
    assert.match(tightened, /^string-char-rule ::= \[.*\\U0010FFFF\]/m);
  });
});

describe("tool-call grammar on a random-weight model", () => {
  it("always yields calls that parse and validate", async () => {
    const llama = await getHearthLlama();
    const model = await llama.loadModel({ modelPath: await testModelPath() });
    const context = await model.createContext({ contextSize: 1024 });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      const set = compileTools([
        tool(async () => "", {
          name: "pick.one",
          description: "p",
          schema: z.object({
            count: z.number().int(),
            ratio: z.number(),
            mode: z.enum(["fast", "slow"]).optional(),
            label: z.string().max(4),
            flags: z.array(z.boolean()).max(2),
          }),
        }),
        tool(async () => "", {
          name: "other",
          description: "o",
          schema: z.object({ on: z.boolean(), level: z.number().int().min(0).max(3).optional() }),
        }),
      ]);
      const grammar = await getToolCallGrammar(llama, set);
      for (const seed of [1, 2, 3]) {
        const text = await completion.generateCompletion("Call:", {
          grammar,
          seed,
          temperature: 1,
          maxTokens: 200,
        });
        const calls = grammar.parseCalls(text);
        assert.equal(calls.length, 1);
        assert.ok(calls[0].validation.ok, `${text} → ${JSON.stringify(calls[0].validation)}`);
      }
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });
});
