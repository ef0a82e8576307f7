import { GRAMMAR_FORMATS } from "../keywords.js";
import type { GrammarNode, JsonSchema } from "../types.js";
import type { JsonType, Normalization } from "./context.js";

type Primitive = string | number | boolean | null;

/** Any JSON value; node-llama-cpp reads a schema without `type` as `null` only. */
export function anyValue(): GrammarNode {
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

/** A number or integer; a small bounded integer range becomes the list of its values. */
export function numeric(
  n: Normalization,
  schema: JsonSchema,
  type: "number" | "integer",
  path: string,
): GrammarNode {
  const values = type === "integer" ? smallIntegerRange(schema) : undefined;
  if (values) return values.length === 1 ? { const: values[0] } : { enum: values };
  n.recordValidation(schema, "number", path);
  return { type };
}

export function string(n: Normalization, schema: JsonSchema, path: string): GrammarNode {
  n.recordValidation(schema, "string", path);
  const format = schema.format;
  if (format !== undefined) {
    n.checkFormatIsValidated(format, path);
    if (GRAMMAR_FORMATS.has(format)) {
      // node-llama-cpp's format grammars take no length bounds.
      if ("minLength" in schema) n.after(path, "minLength");
      if ("maxLength" in schema) n.after(path, "maxLength");
      return { type: "string", format };
    }
  }
  const node: GrammarNode = { type: "string" };
  for (const keyword of ["minLength", "maxLength"] as const) {
    const value = schema[keyword];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      n.fail(`\`${keyword}\` must be a non-negative integer.`, path, keyword);
    }
    node[keyword] = value;
  }
  return node;
}

export function constant(
  n: Normalization,
  schema: JsonSchema,
  types: JsonType[] | undefined,
  path: string,
): GrammarNode {
  const value = schema.const;
  if (!isPrimitive(value)) {
    n.fail(
      "`const` with an object or array value is not supported.",
      path,
      "const",
      "Use an object or array schema whose members are consts.",
    );
  }
  if (types && !types.some((type) => valueHasType(value, type))) {
    n.fail(`const ${JSON.stringify(value)} does not match the declared type.`, path, "const");
  }
  n.recordAllValidation(schema, path);
  return { const: value };
}

export function enumeration(
  n: Normalization,
  schema: JsonSchema,
  types: JsonType[] | undefined,
  path: string,
): GrammarNode {
  const values = schema.enum;
  if (!Array.isArray(values) || values.length === 0) {
    n.fail("`enum` must be a non-empty array.", path, "enum");
  }
  for (const value of values) {
    if (!isPrimitive(value)) {
      n.fail(
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
    // Plain JSON Schema tools never get here: compileTool repairs them (repair-enum-type.ts).
    n.fail(
      `no enum value matches the declared type ${JSON.stringify(schema.type)} (enum ${JSON.stringify(values)}), so no value is valid.`,
      path,
      "enum",
      'Declare the type the values have (e.g. "type": "string" for ["True", "False"]) or drop "type"; plain JSON Schema tools get this repaired automatically (the type is widened to the enum\'s and values are converted back before the tool runs).',
    );
  }
  n.recordAllValidation(schema, path);
  return allowed.length === 1 ? { const: allowed[0] } : { enum: allowed };
}
