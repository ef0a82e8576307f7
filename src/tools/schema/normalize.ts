import { ToolDefinitionError } from "./errors.js";
import {
  ANNOTATION_KEYWORDS,
  GRAMMAR_FORMATS,
  KEYWORDS_BY_TYPE,
  ruleFor,
  VALIDATION_KEYWORDS,
  VALIDATOR_FORMATS,
} from "./keywords.js";
import { escapePointerSegment, pointerSegments, resolvePointer } from "./pointer.js";
import {
  type CheckedAfter,
  type GbnfJsonSchema,
  type GrammarNode,
  isJsonSchemaObject,
  type JsonSchema,
} from "./types.js";

export interface NormalizeOptions {
  toolName: string;
  /**
   * What checks arguments after generation. Zod checks everything its JSON Schema says; the JSON
   * Schema validator ignores formats it does not know, so those must be rejected up front.
   */
  validator: "zod" | "json-schema";
}

export interface NormalizedSchema {
  grammarSchema: GbnfJsonSchema;
  /** Keywords the grammar does not enforce and the validator checks after generation. */
  checkedAfter: CheckedAfter[];
  /**
   * The `oneOf: [T, null]` nodes that stand for optional properties: node-llama-cpp forces every
   * declared property to appear, so a null there means "left out" and is removed before validation.
   */
  optionalWrappers: WeakSet<object>;
}

const JSON_TYPES = ["string", "number", "integer", "boolean", "null", "object", "array"] as const;
type JsonType = (typeof JSON_TYPES)[number];
type Primitive = string | number | boolean | null;

/**
 * Turns a tool's JSON Schema into the subset node-llama-cpp's grammar generator handles
 * correctly (see keywords.ts). Every keyword ends up enforced by the grammar, listed in
 * `checkedAfter`, or rejected with a `ToolDefinitionError`; none is dropped silently.
 */
export function normalizeToolSchema(root: JsonSchema, options: NormalizeOptions): NormalizedSchema {
  return new Normalizer(root, options).run();
}

/** Any JSON value; node-llama-cpp reads a schema without `type` as `null` only. */
function anyValue(): GrammarNode {
  return {
    oneOf: [
      { type: ["string", "number", "boolean", "null"] },
      { type: "object", additionalProperties: true },
      { type: "array" },
    ],
  };
}

function isPrimitive(value: unknown): value is Primitive {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

function valueHasType(value: Primitive, type: JsonType): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
    case "string":
    case "boolean":
      return typeof value === type;
    default:
      return false;
  }
}

const MAX_ENUMERATED_INTEGERS = 64;

/**
 * The allowed values of a bounded integer with at most 64 of them, so the grammar itself
 * enforces minimum/maximum/multipleOf (e.g. `z.number().int().min(1).max(7)`).
 */
function smallIntegerRange(schema: JsonSchema): number[] | undefined {
  const bound = (keyword: string) => {
    const value = schema[keyword];
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  };
  // Draft 4's boolean exclusiveMinimum/Maximum modify minimum/maximum; leave those to validation.
  if (
    typeof schema.exclusiveMinimum === "boolean" ||
    typeof schema.exclusiveMaximum === "boolean"
  ) {
    return undefined;
  }
  const lows = [bound("minimum"), bound("exclusiveMinimum")];
  const highs = [bound("maximum"), bound("exclusiveMaximum")];
  if (lows.every((low) => low === undefined) || highs.every((high) => high === undefined)) {
    return undefined;
  }
  const low = Math.max(
    lows[0] === undefined ? Number.NEGATIVE_INFINITY : Math.ceil(lows[0]),
    lows[1] === undefined ? Number.NEGATIVE_INFINITY : Math.floor(lows[1]) + 1,
  );
  const high = Math.min(
    highs[0] === undefined ? Number.POSITIVE_INFINITY : Math.floor(highs[0]),
    highs[1] === undefined ? Number.POSITIVE_INFINITY : Math.ceil(highs[1]) - 1,
  );
  if (high < low || high - low + 1 > MAX_ENUMERATED_INTEGERS) return undefined;
  const step = bound("multipleOf");
  if ("multipleOf" in schema && (step === undefined || step <= 0)) return undefined;
  const values: number[] = [];
  for (let value = low; value <= high; value++) {
    if (step === undefined || Number.isInteger(value / step)) values.push(value);
  }
  return values.length > 0 ? values : undefined;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function optionalDescription(description: unknown): string {
  return typeof description === "string" && description !== ""
    ? `${description} (optional: null leaves it out)`
    : "Optional: null leaves it out.";
}

class Normalizer {
  private readonly defs: Record<string, GrammarNode> = {};
  private readonly defNames = new Map<string, string>();
  private readonly checked = new Map<string, CheckedAfter>();
  private readonly wrappers = new WeakSet<object>();

  constructor(
    private readonly root: JsonSchema,
    private readonly options: NormalizeOptions,
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

  private fail(problem: string, path: string, keyword?: string, fix?: string): never {
    throw new ToolDefinitionError(problem, { toolName: this.options.toolName, path, keyword, fix });
  }

  private after(path: string, keyword: string): void {
    this.checked.set(`${path} ${keyword}`, { path, keyword });
  }

  private assertObjectRoot(grammar: GrammarNode): void {
    let node = grammar;
    for (let hops = 0; typeof node.$ref === "string" && hops < 64; hops++) {
      node = this.defs[node.$ref.slice("#/$defs/".length)] ?? {};
    }
    if (node.type !== "object") {
      this.fail(
        "the parameters schema must describe a JSON object.",
        "#",
        "type",
        'Wrap the arguments in z.object({ ... }) or { type: "object", properties: { ... } }.',
      );
    }
  }

  private node(schema: unknown, path: string): GrammarNode {
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

  private checkKeywords(schema: JsonSchema, path: string): void {
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
    if ("$ref" in schema) return this.reference(schema, path);
    if ("allOf" in schema) return this.node(this.mergeAllOf(schema, path), path);
    if ("anyOf" in schema || "oneOf" in schema) return this.alternatives(schema, path);
    const types = this.typesOf(schema, path);
    // Only a declared type narrows literals; an inferred one would drop valid values.
    const declaredTypes = schema.type === undefined ? undefined : types;
    if ("const" in schema) return this.constant(schema, declaredTypes, path);
    if ("enum" in schema) return this.enumeration(schema, declaredTypes, path);
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
        return this.string(schema, path);
      case "object":
        return this.object(schema, path);
      case "array":
        return this.array(schema, path);
      case "number":
      case "integer": {
        const values = type === "integer" ? smallIntegerRange(schema) : undefined;
        if (values) return values.length === 1 ? { const: values[0] } : { enum: values };
        this.recordValidation(schema, "number", path);
        return { type };
      }
      default:
        return { type };
    }
  }

  /** Records the validation-only keywords that apply to values of `type`. */
  private recordValidation(schema: JsonSchema, type: JsonType, path: string): void {
    const keywords = KEYWORDS_BY_TYPE[type === "integer" ? "number" : type] ?? [];
    for (const keyword of keywords) {
      if (!VALIDATION_KEYWORDS.has(keyword) || !(keyword in schema)) continue;
      if (keyword === "uniqueItems" && schema.uniqueItems !== true) continue;
      this.after(path, keyword);
    }
  }

  private recordAllValidation(schema: JsonSchema, path: string): void {
    for (const keyword of Object.keys(schema)) {
      if (VALIDATION_KEYWORDS.has(keyword)) this.after(path, keyword);
    }
    if ("format" in schema) this.checkFormatIsValidated(schema.format, path);
  }

  private checkFormatIsValidated(format: unknown, path: string): void {
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

  private string(schema: JsonSchema, path: string): GrammarNode {
    this.recordValidation(schema, "string", path);
    const format = schema.format;
    if (format !== undefined) {
      this.checkFormatIsValidated(format, path);
      if (GRAMMAR_FORMATS.has(format as string)) {
        // node-llama-cpp's format grammars take no length bounds.
        if ("minLength" in schema) this.after(path, "minLength");
        if ("maxLength" in schema) this.after(path, "maxLength");
        return { type: "string", format };
      }
    }
    const node: GrammarNode = { type: "string" };
    for (const keyword of ["minLength", "maxLength"] as const) {
      const value = schema[keyword];
      if (value === undefined) continue;
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        this.fail(`\`${keyword}\` must be a non-negative integer.`, path, keyword);
      }
      node[keyword] = value;
    }
    return node;
  }

  private constant(schema: JsonSchema, types: JsonType[] | undefined, path: string): GrammarNode {
    const value = schema.const;
    if (!isPrimitive(value)) {
      this.fail(
        "`const` with an object or array value is not supported.",
        path,
        "const",
        "Use an object or array schema whose members are consts.",
      );
    }
    if (types && !types.some((type) => valueHasType(value, type))) {
      this.fail(`const ${JSON.stringify(value)} does not match the declared type.`, path, "const");
    }
    this.recordAllValidation(schema, path);
    return { const: value };
  }

  private enumeration(
    schema: JsonSchema,
    types: JsonType[] | undefined,
    path: string,
  ): GrammarNode {
    const values = schema.enum;
    if (!Array.isArray(values) || values.length === 0) {
      this.fail("`enum` must be a non-empty array.", path, "enum");
    }
    for (const value of values) {
      if (!isPrimitive(value)) {
        this.fail(
          `enum value ${JSON.stringify(value)} is an object or array; only strings, numbers, booleans and null are supported.`,
          path,
          "enum",
          "Use a oneOf of object schemas instead.",
        );
      }
    }
    const allowed = (values as Primitive[]).filter(
      (value) => !types || types.some((type) => valueHasType(value, type)),
    );
    if (allowed.length === 0) {
      this.fail("no enum value matches the declared type.", path, "enum");
    }
    this.recordAllValidation(schema, path);
    return allowed.length === 1 ? { const: allowed[0] } : { enum: allowed };
  }

  private reference(schema: JsonSchema, path: string): GrammarNode {
    for (const keyword of Object.keys(schema)) {
      if (keyword === "$ref" || keyword === "$defs" || keyword === "definitions") continue;
      if (ANNOTATION_KEYWORDS.has(keyword) || ruleFor(keyword) === undefined) continue;
      if (VALIDATION_KEYWORDS.has(keyword)) {
        this.after(path, keyword);
        continue;
      }
      this.fail(
        `"$ref" next to "${keyword}" is not supported.`,
        path,
        keyword,
        'Move the keyword into the referenced definition, or combine them with "allOf".',
      );
    }
    return this.refNode(schema.$ref, path);
  }

  private refNode(ref: unknown, path: string): GrammarNode {
    const fragment = this.localFragment(ref, path);
    let name = this.defNames.get(fragment);
    if (name === undefined) {
      const target = this.resolveFragment(fragment, path);
      name = this.allocateDefName(fragment);
      this.defNames.set(fragment, name);
      this.defs[name] = {};
      this.defs[name] = this.node(target, `#${fragment}`);
    }
    return { $ref: `#/$defs/${name}` };
  }

  private localFragment(ref: unknown, path: string): string {
    if (typeof ref !== "string" || !ref.startsWith("#")) {
      this.fail(
        `reference ${JSON.stringify(ref)} is not local to the schema.`,
        path,
        "$ref",
        'Inline the referenced schema or move it under "$defs" and reference "#/$defs/<name>".',
      );
    }
    return ref.slice(1);
  }

  private resolveFragment(fragment: string, path: string): unknown {
    let target: unknown;
    try {
      target = resolvePointer(this.root, pointerSegments(fragment));
    } catch {
      target = undefined;
    }
    if (target === undefined) {
      this.fail(`reference "#${fragment}" points to nothing in the schema.`, path, "$ref");
    }
    return target;
  }

  private allocateDefName(fragment: string): string {
    const segments = pointerSegments(fragment);
    const base =
      segments.length === 0
        ? "root"
        : segments.length === 2 && (segments[0] === "$defs" || segments[0] === "definitions")
          ? segments[1]
          : segments.join("_");
    const safe = base.replace(/[^A-Za-z0-9_.-]/g, "_") || "def";
    let name = safe;
    for (let suffix = 2; name in this.defs; suffix++) name = `${safe}_${suffix}`;
    return name;
  }

  private alternatives(schema: JsonSchema, path: string): GrammarNode {
    if ("anyOf" in schema && "oneOf" in schema) {
      this.fail(
        '"anyOf" and "oneOf" side by side are not supported.',
        path,
        "oneOf",
        'Nest one of them in "allOf".',
      );
    }
    const keyword = "oneOf" in schema ? "oneOf" : "anyOf";
    const branches = schema[keyword];
    if (!Array.isArray(branches) || branches.length === 0) {
      this.fail(`\`${keyword}\` must be a non-empty array.`, path, keyword);
    }
    // Keywords beside the alternatives apply to every branch.
    const shared: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === keyword || key === "$defs" || key === "definitions") continue;
      if (ANNOTATION_KEYWORDS.has(key)) continue;
      shared[key] = value;
    }
    const nodes: GrammarNode[] = [];
    branches.forEach((branch: unknown, index: number) => {
      const branchPath = `${path}/${keyword}/${index}`;
      if (branch === false) return;
      let effective: unknown = branch;
      if (Object.keys(shared).length > 0) {
        effective =
          branch === true
            ? shared
            : this.merge(shared, this.asObject(branch, branchPath), branchPath);
      }
      const node = this.node(effective, branchPath);
      const keys = Object.keys(node);
      if (
        Array.isArray(node.oneOf) &&
        keys.every((key) => key === "oneOf" || key === "description")
      ) {
        nodes.push(...(node.oneOf as GrammarNode[]));
      } else {
        nodes.push(node);
      }
    });
    if (nodes.length === 0) this.fail(`no branch of \`${keyword}\` can match.`, path, keyword);
    if (keyword === "oneOf" && nodes.length > 1) this.after(path, "oneOf");
    return nodes.length === 1 ? nodes[0] : { oneOf: nodes };
  }

  private asObject(schema: unknown, path: string): JsonSchema {
    if (!isJsonSchemaObject(schema)) {
      this.fail(`expected a JSON Schema object, got ${JSON.stringify(schema)}.`, path);
    }
    return schema;
  }

  private mergeAllOf(schema: JsonSchema, path: string): JsonSchema {
    const branches = schema.allOf;
    if (!Array.isArray(branches) || branches.length === 0) {
      this.fail("`allOf` must be a non-empty array.", path, "allOf");
    }
    let merged: JsonSchema = { ...schema };
    delete merged.allOf;
    branches.forEach((branch: unknown, index: number) => {
      const branchPath = `${path}/allOf/${index}`;
      if (branch === true) return;
      if (branch === false) this.fail("`allOf` contains `false`: nothing can match.", branchPath);
      let resolved = this.asObject(branch, branchPath);
      for (let hops = 0; typeof resolved.$ref === "string" && hops < 64; hops++) {
        const { $ref, ...siblings } = resolved;
        const target = this.asObject(
          this.resolveFragment(this.localFragment($ref, branchPath), branchPath),
          branchPath,
        );
        resolved = this.merge(target, siblings, branchPath);
      }
      this.checkKeywords(resolved, branchPath);
      const structural = Object.keys(resolved).filter(
        (key) =>
          ruleFor(key) !== undefined &&
          !VALIDATION_KEYWORDS.has(key) &&
          !ANNOTATION_KEYWORDS.has(key),
      );
      if (structural.length === 0) {
        // A branch of pure constraints (Zod puts several `pattern`s here) is the validator's job.
        this.recordAllValidation(resolved, branchPath);
        return;
      }
      merged = this.merge(merged, resolved, branchPath);
    });
    return merged;
  }

  /** Both schemas at once, where they can be combined without changing either one's meaning. */
  private merge(base: JsonSchema, extra: JsonSchema, path: string): JsonSchema {
    const out: JsonSchema = { ...base };
    for (const [key, value] of Object.entries(extra)) {
      if (!(key in out)) {
        out[key] = value;
        continue;
      }
      if (ANNOTATION_KEYWORDS.has(key) || deepEqual(out[key], value)) continue;
      if (key === "properties" && isJsonSchemaObject(out[key]) && isJsonSchemaObject(value)) {
        const properties: JsonSchema = { ...out[key] };
        for (const [name, propertySchema] of Object.entries(value)) {
          if (name in properties && !deepEqual(properties[name], propertySchema)) {
            this.fail(
              `property "${name}" has different schemas in the combined schemas.`,
              path,
              "allOf",
              "Declare the property once (e.g. z.object(...).extend(...) instead of an intersection).",
            );
          }
          properties[name] = propertySchema;
        }
        out.properties = properties;
      } else if (key === "required" && Array.isArray(out[key]) && Array.isArray(value)) {
        out.required = [...new Set([...(out[key] as unknown[]), ...value])];
      } else if (key === "type") {
        const left = Array.isArray(out.type) ? out.type : [out.type];
        const right = Array.isArray(value) ? value : [value];
        const both = left.filter((type) => right.includes(type));
        if (both.length === 0)
          this.fail("the combined schemas have no type in common.", path, "type");
        out.type = both.length === 1 ? both[0] : both;
      } else {
        this.fail(
          `"${key}" has different values in the combined schemas.`,
          path,
          key,
          "Merge the schemas by hand (e.g. z.object(...).extend(...) instead of an intersection).",
        );
      }
    }
    return out;
  }

  private object(schema: JsonSchema, path: string): GrammarNode {
    this.recordValidation(schema, "object", path);
    const declared: JsonSchema = {
      ...this.asObject(schema.properties ?? {}, `${path}/properties`),
    };
    const requiredList = schema.required ?? [];
    if (!Array.isArray(requiredList) || requiredList.some((key) => typeof key !== "string")) {
      this.fail("`required` must be an array of property names.", path, "required");
    }
    const required = new Set(requiredList as string[]);
    const additional = schema.additionalProperties;
    let closed = additional === false;
    const valueSchemaForNewKey = () =>
      additional === undefined || additional === true ? true : additional;

    const propertyNames = schema.propertyNames;
    if (propertyNames !== undefined && propertyNames !== true) {
      const names = this.asObject(propertyNames, `${path}/propertyNames`);
      const listed =
        "const" in names ? [names.const] : Array.isArray(names.enum) ? names.enum : undefined;
      if (listed?.every((key) => typeof key === "string")) {
        // A closed key set (Zod's record over an enum) becomes ordinary properties.
        if (!closed) {
          for (const key of listed as string[]) {
            if (!(key in declared)) declared[key] = valueSchemaForNewKey();
          }
        }
        closed = true;
      }
      const onlyStringKeys = Object.keys(names).every(
        (key) =>
          ANNOTATION_KEYWORDS.has(key) ||
          (key === "type" && names.type === "string") ||
          (listed !== undefined && (key === "enum" || key === "const")),
      );
      if (!onlyStringKeys) this.after(path, "propertyNames");
    }

    for (const key of required) {
      if (key in declared) continue;
      if (closed) {
        this.fail(
          `property "${key}" is required but not allowed by the schema.`,
          path,
          "required",
          'Declare it in "properties".',
        );
      }
      declared[key] = valueSchemaForNewKey();
    }

    const node: GrammarNode = { type: "object" };
    const properties: Record<string, GrammarNode> = {};
    let hasOptional = false;
    for (const [key, propertySchema] of Object.entries(declared)) {
      const propertyNode = this.node(
        propertySchema,
        `${path}/properties/${escapePointerSegment(key)}`,
      );
      if (required.has(key)) {
        properties[key] = propertyNode;
        continue;
      }
      hasOptional = true;
      if (this.allowsNull(propertySchema, new Set())) {
        // null is a real value here; the property is always generated and keeps its null.
        properties[key] = propertyNode;
        continue;
      }
      const wrapper: GrammarNode = {
        oneOf: [propertyNode, { type: "null" }],
        description: optionalDescription(propertyNode.description),
      };
      this.wrappers.add(wrapper);
      properties[key] = wrapper;
    }
    if (Object.keys(properties).length > 0) node.properties = properties;
    if (!closed) {
      if (isJsonSchemaObject(additional)) {
        node.additionalProperties = this.node(additional, `${path}/additionalProperties`);
      } else if (schema.properties === undefined && Object.keys(properties).length === 0) {
        // A bare `{ type: "object" }` is a free-form map; one that declares its (even zero)
        // properties gets exactly those, which is always valid.
        node.additionalProperties = true;
      }
    }
    for (const keyword of ["minProperties", "maxProperties"] as const) {
      if (typeof schema[keyword] !== "number") continue;
      // With optional properties the grammar's key count (nulls included) is not the real one.
      if (!hasOptional && node.additionalProperties !== undefined) node[keyword] = schema[keyword];
      else this.after(path, keyword);
    }
    return node;
  }

  private array(schema: JsonSchema, path: string): GrammarNode {
    this.recordValidation(schema, "array", path);
    const node: GrammarNode = { type: "array" };
    const tupleInItems = Array.isArray(schema.items);
    const prefix = tupleInItems ? schema.items : schema.prefixItems;
    const rest = tupleInItems ? schema.additionalItems : schema.items;
    const prefixKeyword = tupleInItems ? "items" : "prefixItems";
    if (prefix !== undefined) {
      if (!Array.isArray(prefix)) this.fail(`\`${prefixKeyword}\` must be an array.`, path);
      node.prefixItems = prefix.map((item, index) =>
        this.node(item, `${path}/${prefixKeyword}/${index}`),
      );
    }
    let maxItems = typeof schema.maxItems === "number" ? schema.maxItems : undefined;
    if (rest === false) {
      const length = Array.isArray(prefix) ? prefix.length : 0;
      maxItems = maxItems === undefined ? length : Math.min(maxItems, length);
    } else if (rest !== undefined && rest !== true) {
      node.items = this.node(rest, `${path}/${tupleInItems ? "additionalItems" : "items"}`);
    }
    if (typeof schema.minItems === "number") node.minItems = schema.minItems;
    if (maxItems !== undefined) node.maxItems = maxItems;
    return node;
  }

  /** Whether the schema accepts null (then a null for an optional property is meaningful). */
  private allowsNull(schema: unknown, seen: Set<string>): boolean {
    if (schema === true) return true;
    if (!isJsonSchemaObject(schema)) return false;
    if (typeof schema.$ref === "string" && schema.$ref.startsWith("#")) {
      const fragment = schema.$ref.slice(1);
      if (seen.has(fragment)) return false;
      seen.add(fragment);
      let target: unknown;
      try {
        target = resolvePointer(this.root, pointerSegments(fragment));
      } catch {
        return false;
      }
      if (!this.allowsNull(target, seen)) return false;
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.includes("null")) return false;
    }
    if ("const" in schema && schema.const !== null) return false;
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) return false;
    for (const keyword of ["anyOf", "oneOf"] as const) {
      const branches = schema[keyword];
      if (Array.isArray(branches) && !branches.some((branch) => this.allowsNull(branch, seen))) {
        return false;
      }
    }
    const all = schema.allOf;
    if (Array.isArray(all) && !all.every((branch) => this.allowsNull(branch, seen))) return false;
    return true;
  }
}
