import { ToolDefinitionError } from "../errors.js";
import {
  GRAMMAR_FORMATS,
  KEYWORDS_BY_TYPE,
  ruleFor,
  VALIDATION_KEYWORDS,
  VALIDATOR_FORMATS,
} from "../keywords.js";
import {
  type CheckedAfter,
  type GbnfJsonSchema,
  type GrammarNode,
  isJsonSchemaObject,
  type JsonSchema,
} from "../types.js";
import { alternatives, mergeAllOf } from "./combinators.js";
import {
  JSON_TYPES,
  type JsonType,
  type Normalization,
  type NormalizedSchema,
  type NormalizeOptions,
} from "./context.js";
import { array, object } from "./objects.js";
import { followRefs, grammarDef, reference } from "./refs.js";
import { anyValue, constant, enumeration, numeric, string } from "./scalars.js";

/**
 * Turns a tool's JSON Schema into the subset node-llama-cpp's grammar generator handles
 * correctly (see keywords.ts). Every keyword ends up enforced by the grammar, listed in
 * `checkedAfter`, or rejected with a `ToolDefinitionError`; none is dropped silently.
 *
 * One visitor, split by kind of schema as node-llama-cpp splits its own JSON-schema grammar
 * (`utils/gbnfJson/`): scalars.ts, objects.ts (objects and arrays), combinators.ts (anyOf,
 * oneOf, allOf) and refs.ts; this file dispatches and keeps the shared bookkeeping.
 */
export function normalizeToolSchema(root: JsonSchema, options: NormalizeOptions): NormalizedSchema {
  return new Normalizer(root, options).run();
}

class Normalizer implements Normalization {
  readonly defs: Record<string, GrammarNode> = {};
  readonly defNames = new Map<string, string>();
  readonly wrappers = new WeakSet<object>();
  private readonly checked = new Map<string, CheckedAfter>();

  constructor(
    readonly root: JsonSchema,
    readonly options: NormalizeOptions,
  ) {}

  run(): NormalizedSchema {
    const grammar = this.node(this.root, "#");
    this.assertObjectRoot(grammar);
    if (Object.keys(this.defs).length > 0) grammar.$defs = this.defs;
    return {
      grammarSchema: grammar as GbnfJsonSchema,
      checkedAfter: [...this.checked.values()],
      optionalWrappers: this.wrappers,
    };
  }

  fail(problem: string, path: string, keyword?: string, fix?: string): never {
    throw new ToolDefinitionError(problem, { toolName: this.options.toolName, path, keyword, fix });
  }

  after(path: string, keyword: string): void {
    this.checked.set(`${path} ${keyword}`, { path, keyword });
  }

  private assertObjectRoot(grammar: GrammarNode): void {
    const node = followRefs(grammar, (ref) => grammarDef(this, ref));
    if (node.type !== "object") {
      this.fail(
        "the parameters schema must describe a JSON object.",
        "#",
        "type",
        'Wrap the arguments in z.object({ ... }) or { type: "object", properties: { ... } }.',
      );
    }
  }

  node(schema: unknown, path: string): GrammarNode {
    if (schema === true) return anyValue();
    if (schema === false) {
      this.fail(
        "the schema `false` accepts no value.",
        path,
        undefined,
        "Remove the property or give it a type.",
      );
    }
    if (!isJsonSchemaObject(schema)) {
      this.fail(`expected a JSON Schema object, got ${JSON.stringify(schema)}.`, path);
    }
    this.checkKeywords(schema, path);
    const node = this.body(schema, path);
    if (typeof schema.description === "string" && node.description === undefined) {
      node.description = schema.description;
    }
    return node;
  }

  checkKeywords(schema: JsonSchema, path: string): void {
    for (const keyword of Object.keys(schema)) {
      const rule = ruleFor(keyword);
      if (rule?.support === "rejected") {
        this.fail(
          `JSON Schema keyword "${keyword}" is not supported: the grammar cannot enforce it, and dropping it would accept arguments the schema forbids.`,
          path,
          keyword,
          rule.note ? `Instead: ${rule.note}.` : "Remove it.",
        );
      }
      if (keyword === "$id" && path !== "#") {
        this.fail(
          'a nested "$id" changes how references resolve.',
          path,
          keyword,
          'Remove it and reference the schema through "$defs".',
        );
      }
    }
  }

  private body(schema: JsonSchema, path: string): GrammarNode {
    if ("$ref" in schema) return reference(this, schema, path);
    if ("allOf" in schema) return this.node(mergeAllOf(this, schema, path), path);
    if ("anyOf" in schema || "oneOf" in schema) return alternatives(this, schema, path);
    const types = this.typesOf(schema, path);
    // Only a declared type narrows literals; an inferred one would drop valid values.
    const declaredTypes = schema.type === undefined ? undefined : types;
    if ("const" in schema) return constant(this, schema, declaredTypes, path);
    if ("enum" in schema) return enumeration(this, schema, declaredTypes, path);
    if (types === undefined) return anyValue();
    if (types.length === 1) return this.typed(schema, types[0], path);
    const needsOwnBranch = (type: JsonType) =>
      type === "object" ||
      type === "array" ||
      (type === "string" && ("format" in schema || "minLength" in schema || "maxLength" in schema));
    if (!types.some(needsOwnBranch)) {
      for (const type of types) this.recordValidation(schema, type, path);
      return { type: types };
    }
    return { oneOf: types.map((type) => this.typed(schema, type, path)) };
  }

  private typesOf(schema: JsonSchema, path: string): JsonType[] | undefined {
    const declared = schema.type;
    if (declared === undefined) {
      // A keyword that only constrains one type says which type is meant; generating only that
      // type is a subset of what the schema accepts, so every generated value stays valid.
      const inferred = (["object", "array", "string", "number"] as const).filter((type) =>
        KEYWORDS_BY_TYPE[type].some((keyword) => keyword in schema),
      );
      return inferred.length > 0 ? inferred : undefined;
    }
    const list = Array.isArray(declared) ? declared : [declared];
    if (list.length === 0) this.fail("`type` is an empty list.", path, "type");
    for (const type of list) {
      if (!JSON_TYPES.includes(type as JsonType)) {
        this.fail(`unknown type ${JSON.stringify(type)}.`, path, "type");
      }
    }
    const unique = [...new Set(list as JsonType[])];
    return unique.includes("number") ? unique.filter((type) => type !== "integer") : unique;
  }

  private typed(schema: JsonSchema, type: JsonType, path: string): GrammarNode {
    switch (type) {
      case "string":
        return string(this, schema, path);
      case "object":
        return object(this, schema, path);
      case "array":
        return array(this, schema, path);
      case "number":
      case "integer":
        return numeric(this, schema, type, path);
      default:
        return { type };
    }
  }

  recordValidation(schema: JsonSchema, type: JsonType, path: string): void {
    const keywords = KEYWORDS_BY_TYPE[type === "integer" ? "number" : type] ?? [];
    for (const keyword of keywords) {
      if (!VALIDATION_KEYWORDS.has(keyword) || !(keyword in schema)) continue;
      if (keyword === "uniqueItems" && schema.uniqueItems !== true) continue;
      this.after(path, keyword);
    }
  }

  recordAllValidation(schema: JsonSchema, path: string): void {
    for (const keyword of Object.keys(schema)) {
      if (VALIDATION_KEYWORDS.has(keyword)) this.after(path, keyword);
    }
    if ("format" in schema) this.checkFormatIsValidated(schema.format, path);
  }

  checkFormatIsValidated(format: unknown, path: string): asserts format is string {
    if (typeof format !== "string") this.fail("`format` must be a string.", path, "format");
    if (this.options.validator === "json-schema" && !VALIDATOR_FORMATS.has(format)) {
      this.fail(
        `format "${format}" is checked by neither the grammar nor the JSON Schema validator.`,
        path,
        "format",
        `Use one of ${[...VALIDATOR_FORMATS].join(", ")}, or describe the shape with "pattern".`,
      );
    }
    if (!GRAMMAR_FORMATS.has(format)) this.after(path, "format");
  }

  asObject(schema: unknown, path: string): JsonSchema {
    if (!isJsonSchemaObject(schema)) {
      this.fail(`expected a JSON Schema object, got ${JSON.stringify(schema)}.`, path);
    }
    return schema;
  }
}
