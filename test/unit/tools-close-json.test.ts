import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildToolCallSchema,
  closeJson,
  compileTool,
  compileTools,
  minimalJson,
} from "../../src/tools/index.js";

/** Full texts as the grammar writes them (every property, optional ones possibly null). */
const CASES = [
  {
    name: "search",
    schema: {
      type: "object",
      properties: {
        query: { type: "string", minLength: 3, description: "Unbounded text" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        limit: { type: "integer", minimum: 5, maximum: 50 },
        tags: { type: "array", items: { type: "string" }, minItems: 2 },
        exact: { type: "boolean" },
      },
      required: ["query", "limit", "tags"],
    },
    texts: [
      '{"query": "weather in Paris \\"today\\" \\u00e9t\\u00e9", "unit": "fahrenheit", "limit": 12, "tags": ["a", "b", "c"], "exact": true}',
      '{"query": "abc", "unit": null, "limit": 5, "tags": ["x", "y"], "exact": null}',
    ],
  },
  {
    name: "booking",
    schema: {
      type: "object",
      properties: {
        traveller: {
          type: "object",
          properties: {
            name: { type: "string" },
            age: { type: "number", exclusiveMinimum: 0 },
            address: {
              type: "object",
              properties: { city: { type: "string" }, zip: { type: "string" } },
              required: ["city"],
            },
          },
          required: ["name", "address"],
        },
        legs: {
          type: "array",
          items: {
            type: "object",
            properties: {
              from: { type: "string" },
              to: { type: "string" },
              date: { type: "string", format: "date" },
            },
            required: ["from", "to", "date"],
          },
          minItems: 1,
        },
      },
      required: ["traveller", "legs"],
    },
    texts: [
      '{"traveller": {"name": "Ann Lee", "age": 31.5, "address": {"city": "Oslo", "zip": null}}, "legs": [{"from": "OSL", "to": "ROM", "date": "2025-06-01"}, {"from": "ROM", "to": "OSL", "date": "2025-06-09"}]}',
    ],
  },
];

function check(name: string, schema: Record<string, unknown>, text: string) {
  const tool = compileTool({ name, schema });
  for (let cut = 0; cut <= text.length; cut++) {
    const partial = text.slice(0, cut);
    const closed = closeJson(partial, tool.grammarSchema as never, tool.jsonSchema);
    let parsed: unknown;
    try {
      parsed = JSON.parse(closed.text);
    } catch {
      assert.fail(
        `${name}: cut at ${cut} ${JSON.stringify(partial)} closed as invalid JSON ${closed.text}`,
      );
    }
    const checked = tool.validate(tool.fromModel(parsed));
    assert.ok(
      checked.ok,
      `${name}: cut at ${cut} gave ${closed.text}: ${checked.ok ? "" : checked.error}`,
    );
    if (cut === text.length) assert.equal(closed.completion, "");
    else assert.ok(closed.text.startsWith(partial.replace(/\\u?[0-9a-fA-F]{0,3}$/, "")));
  }
}

describe("closing cut-off JSON within its schema", () => {
  for (const { name, schema, texts } of CASES) {
    it(`${name}: every prefix closes to valid arguments`, () => {
      for (const text of texts) check(name, schema, text);
    });
  }

  it("a forced call's envelope closes on the tool the text named", () => {
    const tools = compileTools([
      {
        name: "alpha",
        schema: { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
      },
      {
        name: "beta",
        schema: {
          type: "object",
          properties: { b: { type: "integer", minimum: 7 } },
          required: ["b"],
        },
      },
    ]);
    const schema = buildToolCallSchema(tools.tools) as never;
    assert.equal(closeJson('{"name": "beta", "arguments": {', schema).completion, '"b": 0}}');
    assert.equal(closeJson('{"name": "be', schema).completion, 'ta", "arguments": {"b": 0}}');
    const parallel = buildToolCallSchema(tools.tools, { parallel: true }) as never;
    const closed = closeJson('[{"name": "alpha", "arguments": {"a": "x', parallel);
    assert.deepEqual(JSON.parse(closed.text), [{ name: "alpha", arguments: { a: "x" } }]);
  });

  it("writes the smallest valid value: minLength, enum, minimum, minItems, formats, nullable", () => {
    assert.equal(minimalJson({ type: "string", minLength: 2 }), '"xx"');
    assert.equal(minimalJson({ enum: ["b", "a"] }), '"b"');
    assert.equal(minimalJson({ type: "integer", minimum: 3 }), "3");
    assert.equal(minimalJson({ type: "integer" }, undefined, { minimum: 4 }), "4");
    assert.equal(
      minimalJson({ type: "array", items: { type: "boolean" }, minItems: 2 }),
      "[false, false]",
    );
    assert.equal(minimalJson({ type: "string", format: "date" }), '"2000-01-01"');
    assert.equal(minimalJson({ oneOf: [{ type: "string" }, { type: "null" }] }), "null");
  });
});
