import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { compileTool, KEYWORD_RULES, ToolDefinitionError } from "../../src/tools/index.js";
import { normalizeToolSchema, removeOptionalNulls } from "../../src/tools/schema/index.js";

type Node = Record<string, unknown>;

function normalize(
  schema: Record<string, unknown>,
  validator: "zod" | "json-schema" = "json-schema",
) {
  return normalizeToolSchema(schema, { toolName: "t", validator });
}

function grammarOf(schema: Record<string, unknown>): Node {
  return normalize(schema).grammarSchema as Node;
}

function props(node: Node): Record<string, Node> {
  return node.properties as Record<string, Node>;
}

function rejects(schema: Record<string, unknown>, keyword: string, path: string) {
  assert.throws(
    () => normalize(schema),
    (error: unknown) => {
      assert.ok(error instanceof ToolDefinitionError, String(error));
      assert.equal(error.toolName, "t");
      assert.equal(error.keyword, keyword);
      assert.equal(error.path, path);
      assert.match(error.message, /Tool "t" at /);
      assert.ok(error.message.includes(path));
      return true;
    },
  );
}

describe("normalizeToolSchema: optional properties", () => {
  it("turns optional properties into T | null and keeps required ones plain", () => {
    const grammar = grammarOf({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "integer" } },
      required: ["a"],
    });
    assert.deepEqual(props(grammar).a, { type: "string" });
    assert.deepEqual((props(grammar).b.oneOf as Node[])[1], { type: "null" });
    assert.deepEqual((props(grammar).b.oneOf as Node[])[0], { type: "integer" });
  });

  it("keeps an optional nullable property as is, so its null survives", () => {
    const normalized = normalize({
      type: "object",
      properties: { n: { type: ["string", "null"] } },
    });
    const grammar = normalized.grammarSchema as Node;
    assert.deepEqual(props(grammar).n, { type: ["string", "null"] });
    assert.deepEqual(
      removeOptionalNulls({ n: null }, normalized.grammarSchema, normalized.optionalWrappers),
      { n: null },
    );
  });

  it("removes only the placeholder nulls, at any depth and inside unions and refs", () => {
    const normalized = normalize({
      type: "object",
      properties: {
        items: {
          type: "array",
          items: {
            type: "object",
            properties: { id: { type: "integer" }, note: { type: "string" } },
            required: ["id"],
          },
        },
        choice: {
          anyOf: [
            {
              type: "object",
              properties: { kind: { const: "a" }, x: { type: "string" } },
              required: ["kind"],
            },
            {
              type: "object",
              properties: { kind: { const: "b" }, y: { type: "number" } },
              required: ["kind"],
            },
          ],
        },
        ref: { $ref: "#/$defs/R" },
      },
      required: ["items", "choice", "ref"],
      $defs: { R: { type: "object", properties: { z: { type: "boolean" } } } },
    });
    const cleaned = removeOptionalNulls(
      {
        items: [
          { id: 1, note: null },
          { id: 2, note: "x" },
        ],
        choice: { kind: "b", y: null },
        ref: { z: null },
      },
      normalized.grammarSchema,
      normalized.optionalWrappers,
    );
    assert.deepEqual(cleaned, {
      items: [{ id: 1 }, { id: 2, note: "x" }],
      choice: { kind: "b" },
      ref: {},
    });
  });

  it("describes optional properties to the model", () => {
    const grammar = grammarOf({
      type: "object",
      properties: { unit: { type: "string", description: "Temperature unit" } },
    });
    assert.equal(
      props(grammar).unit.description,
      "Temperature unit (optional: null leaves it out)",
    );
  });
});

describe("normalizeToolSchema: what node-llama-cpp gets wrong", () => {
  it("turns anyOf into oneOf (a bare anyOf gives node-llama-cpp a null grammar)", () => {
    const grammar = grammarOf({
      type: "object",
      properties: { v: { anyOf: [{ type: "string" }, { type: "number" }] } },
      required: ["v"],
    });
    assert.deepEqual(props(grammar).v, { oneOf: [{ type: "string" }, { type: "number" }] });
  });

  it("turns a schema without type (any JSON) into explicit alternatives", () => {
    const grammar = grammarOf({ type: "object", properties: { v: {} }, required: ["v"] });
    const v = props(grammar).v;
    assert.ok(Array.isArray(v.oneOf));
    assert.deepEqual(v.oneOf[0], { type: ["string", "number", "boolean", "null"] });
  });

  it("generates email/uri/uuid as plain strings and leaves the format to validation", () => {
    const normalized = normalize({
      type: "object",
      properties: { e: { type: "string", format: "email" }, d: { type: "string", format: "date" } },
      required: ["e", "d"],
    });
    const grammar = normalized.grammarSchema as Node;
    assert.deepEqual(props(grammar).e, { type: "string" });
    assert.deepEqual(props(grammar).d, { type: "string", format: "date" });
    assert.deepEqual(normalized.checkedAfter, [{ path: "#/properties/e", keyword: "format" }]);
  });

  it("lists pattern, minimum, maximum and multipleOf as checked after generation", () => {
    const normalized = normalize({
      type: "object",
      properties: {
        code: { type: "string", pattern: "^[A-Z]{3}$", maxLength: 3 },
        price: { type: "number", minimum: 0, maximum: 100, multipleOf: 0.5 },
      },
      required: ["code", "price"],
    });
    assert.deepEqual(props(normalized.grammarSchema as Node).code, {
      type: "string",
      maxLength: 3,
    });
    assert.deepEqual(
      normalized.checkedAfter.map((entry) => `${entry.path} ${entry.keyword}`).sort(),
      [
        "#/properties/code pattern",
        "#/properties/price maximum",
        "#/properties/price minimum",
        "#/properties/price multipleOf",
      ],
    );
  });

  it("enforces small integer ranges in the grammar as enums", () => {
    const normalized = normalize({
      type: "object",
      properties: {
        days: { type: "integer", minimum: 1, maximum: 7 },
        even: { type: "integer", exclusiveMinimum: 0, maximum: 10, multipleOf: 2 },
        big: { type: "integer", minimum: 0, maximum: 1000 },
      },
      required: ["days", "even", "big"],
    });
    const p = props(normalized.grammarSchema as Node);
    assert.deepEqual(p.days, { enum: [1, 2, 3, 4, 5, 6, 7] });
    assert.deepEqual(p.even, { enum: [2, 4, 6, 8, 10] });
    assert.deepEqual(p.big, { type: "integer" });
    assert.deepEqual(
      normalized.checkedAfter.map((entry) => `${entry.path} ${entry.keyword}`).sort(),
      ["#/properties/big maximum", "#/properties/big minimum"],
    );
  });

  it("rewrites $ref to #/definitions and to # into $defs the grammar resolves", () => {
    const grammar = grammarOf({
      type: "object",
      properties: {
        a: { $ref: "#/definitions/A" },
        self: { type: "array", items: { $ref: "#" } },
      },
      required: ["a"],
      definitions: { A: { type: "string", enum: ["x", "y"] } },
    });
    assert.deepEqual(props(grammar).a, { $ref: "#/$defs/A" });
    const defs = grammar.$defs as Record<string, Node>;
    assert.deepEqual(defs.A, { enum: ["x", "y"] });
    assert.equal(defs.root.type, "object");
    const selfItems = (props(grammar).self.oneOf as Node[])[0].items;
    assert.deepEqual(selfItems, { $ref: "#/$defs/root" });
  });

  it("merges allOf object branches and leaves constraint-only branches to validation", () => {
    const normalized = normalize({
      type: "object",
      allOf: [
        { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
        { properties: { b: { type: "number" } }, required: ["b"] },
      ],
      properties: {
        s: { type: "string", allOf: [{ pattern: "^a" }, { pattern: "z$" }] },
      },
      required: ["s"],
    });
    const p = props(normalized.grammarSchema as Node);
    assert.deepEqual(Object.keys(p).sort(), ["a", "b", "s"]);
    assert.deepEqual(p.s, { type: "string" });
    assert.equal(normalized.checkedAfter.filter((entry) => entry.keyword === "pattern").length, 2);
  });

  it("splits type arrays with structured members into alternatives", () => {
    const grammar = grammarOf({
      type: "object",
      properties: {
        v: { type: ["object", "null"], properties: { x: { type: "string" } }, required: ["x"] },
        p: { type: ["string", "number"] },
      },
      required: ["v", "p"],
    });
    assert.deepEqual(props(grammar).v, {
      oneOf: [{ type: "object", properties: { x: { type: "string" } } }, { type: "null" }],
    });
    assert.deepEqual(props(grammar).p, { type: ["string", "number"] });
  });

  it("closes records over an enum of keys (Zod's z.record(z.enum(...)))", () => {
    const tool = compileTool({
      name: "r",
      schema: z.object({
        full: z.record(z.enum(["a", "b"]), z.number()),
        partial: z.partialRecord(z.enum(["x", "y"]), z.boolean()),
        free: z.record(z.string(), z.number()),
      }),
    });
    const p = props(tool.grammarSchema as Node);
    assert.deepEqual(p.full, {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
    });
    assert.deepEqual(Object.keys(props(p.partial)), ["x", "y"]);
    assert.deepEqual(p.free, { type: "object", additionalProperties: { type: "number" } });
  });

  it("handles tuples (prefixItems, and draft-07 items arrays)", () => {
    const grammar = grammarOf({
      type: "object",
      properties: {
        t2020: {
          type: "array",
          prefixItems: [{ type: "string" }, { type: "number" }],
          items: false,
        },
        t07: { type: "array", items: [{ type: "boolean" }], additionalItems: false },
      },
      required: ["t2020", "t07"],
    });
    assert.deepEqual(props(grammar).t2020, {
      type: "array",
      prefixItems: [{ type: "string" }, { type: "number" }],
      maxItems: 2,
    });
    assert.deepEqual(props(grammar).t07, {
      type: "array",
      prefixItems: [{ type: "boolean" }],
      maxItems: 1,
    });
  });

  it("gives an object that declares zero properties exactly {}, and a bare object any keys", () => {
    const grammar = grammarOf({
      type: "object",
      properties: { none: { type: "object", properties: {} }, map: { type: "object" } },
      required: ["none", "map"],
    });
    assert.deepEqual(props(grammar).none, { type: "object" });
    assert.deepEqual(props(grammar).map, { type: "object", additionalProperties: true });
  });
});

describe("normalizeToolSchema: rejected up front", () => {
  it("rejects keywords no grammar or validator step can honour, naming tool, path and keyword", () => {
    rejects(
      { type: "object", properties: { a: { not: { type: "string" } } } },
      "not",
      "#/properties/a",
    );
    rejects(
      {
        type: "object",
        properties: { a: { type: "object", if: {}, else: {} } },
      },
      "if",
      "#/properties/a",
    );
    rejects(
      { type: "object", patternProperties: { "^x": { type: "string" } } },
      "patternProperties",
      "#",
    );
    rejects(
      { type: "object", properties: { a: { type: "string", nullable: true } } },
      "nullable",
      "#/properties/a",
    );
  });

  it("rejects remote and dangling references", () => {
    rejects(
      { type: "object", properties: { a: { $ref: "https://example.com/s.json" } } },
      "$ref",
      "#/properties/a",
    );
    rejects(
      { type: "object", properties: { a: { $ref: "#/$defs/missing" } } },
      "$ref",
      "#/properties/a",
    );
  });

  it("rejects formats the JSON Schema validator would silently ignore, but not for Zod tools", () => {
    const schema = { type: "object", properties: { p: { type: "string", format: "phone" } } };
    rejects(schema, "format", "#/properties/p");
    assert.doesNotThrow(() => normalize(schema, "zod"));
  });

  it("rejects a non-object root and object/array enum values", () => {
    rejects({ type: "string" }, "type", "#");
    rejects({ type: "object", properties: { a: { enum: [{ x: 1 }] } } }, "enum", "#/properties/a");
  });

  it("classifies every keyword it names in the README table", () => {
    const supports = new Set(Object.values(KEYWORD_RULES).map((rule) => rule.support));
    assert.deepEqual([...supports].sort(), ["annotation", "grammar", "rejected", "validation"]);
    for (const keyword of ["not", "if", "patternProperties", "unevaluatedProperties"]) {
      assert.equal(KEYWORD_RULES[keyword].support, "rejected");
    }
  });
});
