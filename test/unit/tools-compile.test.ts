import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import * as z3 from "zod/v3";
import {
  assignModelNames,
  compileTools,
  defineTool,
  ToolDefinitionError,
  type ToolLike,
} from "../../src/tools/index.js";

type Node = Record<string, unknown>;

const weather = tool(async () => "sunny", {
  name: "weather.get",
  description: "Current weather for a city",
  schema: z.object({
    city: z.string().describe("City name"),
    unit: z.enum(["celsius", "fahrenheit"]).optional(),
    days: z.number().int().min(1).max(7).default(1),
    email: z.email().optional(),
  }),
});

const legacy = tool(async () => "ok", {
  name: "legacy tool",
  description: "A Zod 3 schema",
  schema: z3.object({ query: z3.string(), limit: z3.number().min(1).optional() }),
});

const openAi: ToolLike = {
  type: "function",
  function: {
    name: "search-web",
    description: "Searches the web",
    parameters: {
      type: "object",
      properties: {
        q: { type: "string", minLength: 1 },
        site: { type: "string", format: "uri" },
      },
      required: ["q"],
    },
  },
};

const plain: ToolLike = {
  name: "plain",
  description: "A plain definition",
  schema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
};

describe("compileTools: inputs", () => {
  it("accepts LangChain Zod 4 and Zod 3 tools, OpenAI definitions and plain objects", () => {
    const set = compileTools([weather, legacy, openAi, plain]);
    assert.deepEqual(
      set.tools.map((t) => [t.name, t.modelName, t.validator]),
      [
        ["weather.get", "weather_get", "zod"],
        ["legacy tool", "legacy_tool", "zod"],
        ["search-web", "search_web", "json-schema"],
        ["plain", "plain", "json-schema"],
      ],
    );
    assert.equal(set.get("weather.get")?.description, "Current weather for a city");
    const weatherGrammar = set.get("weather.get")?.grammarSchema as Node;
    assert.equal(weatherGrammar.type, "object");
    assert.deepEqual(Object.keys(weatherGrammar.properties as Node), [
      "city",
      "unit",
      "days",
      "email",
    ]);
  });

  it("keeps the full JSON Schema for validation next to the grammar schema", () => {
    const compiled = compileTools([weather]).tools[0];
    const properties = compiled.jsonSchema.properties as Record<string, Node>;
    assert.equal(properties.email.format, "email");
    assert.ok("pattern" in properties.email);
    assert.deepEqual(compiled.jsonSchema.required, ["city"]);
    assert.deepEqual(
      compiled.checkedAfter.map((entry) => `${entry.path} ${entry.keyword}`).sort(),
      ["#/properties/email format", "#/properties/email pattern"],
    );
  });

  it("caches per tool set, keyed by the tools' identities", () => {
    const first = compileTools([weather, plain]);
    assert.equal(compileTools([weather, plain]), first);
    assert.notEqual(compileTools([plain, weather]), first);
    // The per-tool work is shared between sets.
    assert.equal(
      compileTools([plain, weather]).get("plain")?.grammarSchema,
      first.get("plain")?.grammarSchema,
    );
    assert.equal(first.callSchema, first.callSchema);
  });

  it("explains bad definitions: no name, non-object schema, unsupported keyword, duplicates", () => {
    assert.throws(
      () => compileTools([{ name: "", schema: z.object({}) }]),
      (error: unknown) =>
        error instanceof ToolDefinitionError && /tool #1 has no name/.test(error.message),
    );
    assert.throws(
      () => compileTools([{ name: "s", schema: { type: "string" } }]),
      (error: unknown) =>
        error instanceof ToolDefinitionError &&
        error.toolName === "s" &&
        /must describe a JSON object/.test(error.message) &&
        /z\.object/.test(error.message),
    );
    assert.throws(
      () =>
        compileTools([
          {
            name: "bad",
            schema: { type: "object", properties: { a: { not: { const: 1 } } } },
          },
        ]),
      (error: unknown) =>
        error instanceof ToolDefinitionError &&
        error.message.startsWith('Tool "bad" at #/properties/a: JSON Schema keyword "not"'),
    );
    assert.throws(
      () => compileTools([plain, { ...plain }]),
      (error: unknown) =>
        error instanceof ToolDefinitionError && /two tools are named "plain"/.test(error.message),
    );
    assert.throws(
      () => compileTools([{ description: "x" } as unknown as ToolLike]),
      (error: unknown) => error instanceof ToolDefinitionError && /not a tool/.test(error.message),
    );
    assert.throws(
      () => compileTools([{ name: "d", schema: z.object({ when: z.date() }) }]),
      (error: unknown) =>
        error instanceof ToolDefinitionError &&
        /cannot be converted to JSON Schema/.test(error.message),
    );
  });

  it("rejects an unsupported schema at defineTool time", () => {
    assert.throws(
      () =>
        defineTool({
          name: "odd",
          description: "d",
          schema: z.object({ when: z.date() }),
          func: () => "x",
        }),
      ToolDefinitionError,
    );
  });

  it("compiles getter-recursive Zod schemas (LangChain's converter overflows on them)", () => {
    const Category = z.object({
      name: z.string(),
      get children() {
        return z.array(Category).optional();
      },
    });
    const compiled = compileTools([{ name: "tree", schema: z.object({ root: Category }) }])
      .tools[0];
    assert.ok((compiled.grammarSchema as Node).$defs);
    const value = { root: { name: "a", children: [{ name: "b", children: null }] } };
    assert.deepEqual(compiled.validate(value), {
      ok: true,
      value: { root: { name: "a", children: [{ name: "b" }] } },
    });
  });
});

describe("compileTools: model names", () => {
  it("maps names the model format cannot carry to unique identifiers and back", () => {
    const names = ["search.docs", "search docs", "search_docs", "1st", "ünïcode", "a".repeat(80)];
    const tools = names.map((name) => ({ name, schema: { type: "object", properties: {} } }));
    const set = compileTools(tools);
    const modelNames = set.tools.map((t) => t.modelName);
    assert.equal(new Set(modelNames).size, names.length);
    for (const modelName of modelNames) assert.match(modelName, /^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
    assert.equal(set.get("search_docs")?.modelName, "search_docs");
    for (const name of names) {
      const modelName = set.modelNameFromTool(name);
      assert.ok(modelName);
      assert.equal(set.toolNameFromModel(modelName), name);
    }
    assert.equal(set.toolNameFromModel("nope"), undefined);
  });

  it("keeps already-safe names and suffixes collisions", () => {
    assert.deepEqual(assignModelNames(["a.b", "a_b", "a b"]), ["a_b_2", "a_b", "a_b_3"]);
  });
});

describe("compileTools: validate", () => {
  it("validates Zod tools with Zod: catches wrong types, enums, ranges and formats", () => {
    const compiled = compileTools([weather]).tools[0];
    const bad = compiled.validate({ city: 3, unit: "kelvin", days: 9, email: "nope" });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.error.startsWith('Invalid arguments for tool "weather.get": '));
    for (const field of ["city", "unit", "days", "email"]) {
      assert.ok(!bad.ok && bad.error.includes(`${field}:`), `${field} in ${!bad.ok && bad.error}`);
    }
  });

  it("removes the grammar's nulls for left-out optional fields before validating", () => {
    const compiled = compileTools([weather]).tools[0];
    const good = compiled.validate({ city: "Oslo", unit: null, days: null, email: null });
    assert.deepEqual(good, { ok: true, value: { city: "Oslo" } });
  });

  it("validates JSON Schema tools with @cfworker/json-schema", () => {
    const set = compileTools([openAi, plain]);
    const searchWeb = set.get("search-web");
    assert.ok(searchWeb);
    assert.deepEqual(searchWeb.validate({ q: "x", site: null }), { ok: true, value: { q: "x" } });
    const bad = searchWeb.validate({ q: "", site: "not a uri" });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && /q: String is too short/.test(bad.error), !bad.ok ? bad.error : "");
    assert.ok(!bad.ok && /site: .*format "uri"/.test(bad.error));
    const plainTool = set.get("plain");
    assert.ok(plainTool);
    const wrongType = plainTool.validate({ n: 1.5, extra: true });
    assert.ok(!wrongType.ok && /n: .*Expected "integer"/.test(wrongType.error));
  });

  it("validates Zod 3 tools", () => {
    const compiled = compileTools([legacy]).tools[0];
    assert.deepEqual(compiled.validate({ query: "a", limit: null }), {
      ok: true,
      value: { query: "a" },
    });
    const bad = compiled.validate({ query: "a", limit: 0 });
    assert.ok(!bad.ok && bad.error.includes("limit:"));
  });
});

describe("compileTools: call schemas", () => {
  const many = Array.from({ length: 12 }, (_, index) =>
    tool(async () => "", {
      name: `tool.${index}`,
      description: `Tool number ${index}`,
      schema: z.object({ value: z.number(), label: z.string().optional() }),
    }),
  );

  it("builds one call as a oneOf over the tools, each tying its name to its arguments", () => {
    const set = compileTools(many);
    const schema = set.callSchema as Node;
    const branches = schema.oneOf as Node[];
    assert.equal(branches.length, 12);
    for (const [index, branch] of branches.entries()) {
      const properties = branch.properties as Record<string, Node>;
      assert.deepEqual(Object.keys(properties), ["name", "arguments"]);
      assert.deepEqual(properties.name, { const: `tool_${index}` });
      assert.equal((properties.arguments as Node).type, "object");
    }
  });

  it("builds parallel calls as an array, with an optional limit", () => {
    const set = compileTools(many);
    const schema = set.parallelCallSchema as Node;
    assert.equal(schema.type, "array");
    assert.equal(schema.minItems, 1);
    assert.deepEqual(schema.items, set.callSchema);
    assert.equal((set.callSchemaFor({ parallel: true, maxCalls: 3 }) as Node).maxItems, 3);
  });

  it("restricts a call schema to named tools (tool_choice: <name>)", () => {
    const set = compileTools([weather, plain]);
    const schema = set.callSchemaFor({ toolNames: ["weather.get"] }) as Node;
    assert.deepEqual((schema.properties as Record<string, Node>).name, { const: "weather_get" });
    assert.throws(() => set.callSchemaFor({ toolNames: ["nope"] }), /No tool named "nope"/);
  });

  it("namespaces each tool's $defs so tools with the same definition names do not collide", () => {
    const make = (name: string, literal: string) => ({
      name,
      schema: {
        type: "object",
        properties: { v: { $ref: "#/$defs/Shared" } },
        required: ["v"],
        $defs: { Shared: { const: literal } },
      },
    });
    const set = compileTools([make("one", "a"), make("two", "b")]);
    const schema = set.callSchema as Node;
    assert.deepEqual(schema.$defs, { one__Shared: { const: "a" }, two__Shared: { const: "b" } });
    const second = (schema.oneOf as Node[])[1].properties as Record<string, Node>;
    assert.deepEqual((second.arguments.properties as Record<string, Node>).v, {
      $ref: "#/$defs/two__Shared",
    });
  });

  it("exposes node-llama-cpp functions under the model names", () => {
    const set = compileTools([weather, plain]);
    assert.deepEqual(Object.keys(set.functions), ["weather_get", "plain"]);
    assert.equal(set.functions.weather_get.params, set.get("weather.get")?.grammarSchema);
  });

  it("parses calls back to the caller's names, cleaned and validated", () => {
    const set = compileTools([weather, plain]);
    const calls = set.parseCalls([
      {
        name: "weather_get",
        arguments: { city: "Rome", unit: "celsius", days: null, email: null },
      },
      { name: "plain", arguments: { n: "x" } },
      { name: "ghost", arguments: {} },
    ]);
    assert.deepEqual(
      calls.map((call) => [call.name, call.validation.ok]),
      [
        ["weather.get", true],
        ["plain", false],
        ["ghost", false],
      ],
    );
    assert.deepEqual(calls[0].args, { city: "Rome", unit: "celsius" });
    assert.ok(!calls[2].validation.ok && /Unknown tool "ghost"/.test(calls[2].validation.error));
  });
});
