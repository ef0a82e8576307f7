import type { JsonSchema } from "../suite-format/types.js";

/** BFCL (Python categories) type names and their JSON Schema equivalents; `any` drops the type. */
const BFCL_TYPES: Record<string, string | null> = {
  dict: "object",
  float: "number",
  tuple: "array",
  any: null,
  integer: "integer",
  string: "string",
  boolean: "boolean",
  array: "array",
  object: "object",
  number: "number",
  null: "null",
};

export class UnsupportedBfclTypeError extends Error {
  override name = "UnsupportedBfclTypeError";
}

/** Converts a BFCL parameter schema (types dict, float, tuple, any, ...) to standard JSON Schema. */
export function bfclSchemaToJsonSchema(schema: JsonSchema, path = "parameters"): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.type !== undefined) {
    const type = String(schema.type);
    if (!(type in BFCL_TYPES)) {
      throw new UnsupportedBfclTypeError(
        `${path}: BFCL type "${type}" is not supported (known: ${Object.keys(BFCL_TYPES).join(", ")}); the Java/JavaScript categories are not importable`,
      );
    }
    const mapped = BFCL_TYPES[type];
    if (mapped === null) delete out.type;
    else out.type = mapped;
  }
  if (isSchema(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [
        key,
        isSchema(value) ? bfclSchemaToJsonSchema(value, `${path}.${key}`) : value,
      ]),
    );
  }
  if (isSchema(schema.items)) out.items = bfclSchemaToJsonSchema(schema.items, `${path}[]`);
  moveArrayEnumToItems(out);
  if (isSchema(schema.additionalProperties)) {
    out.additionalProperties = bfclSchemaToJsonSchema(schema.additionalProperties, `${path}.*`);
  }
  return out;
}

/**
 * BFCL's data puts the allowed item values of a list on the list itself
 * (`{"type": "array", "items": {"type": "string"}, "enum": ["a", "b"]}`): as JSON Schema that
 * would mean "the whole list equals one of these strings", which no list does. Where every enum
 * value is a scalar, it belongs on the items.
 */
function moveArrayEnumToItems(out: JsonSchema): void {
  if (out.type !== "array" || !Array.isArray(out.enum)) return;
  const values = out.enum as unknown[];
  if (values.length === 0 || values.some((value) => typeof value === "object" && value !== null))
    return;
  const items = isSchema(out.items) ? out.items : {};
  if ("enum" in items) return;
  out.items = { ...items, enum: values };
  delete out.enum;
}

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);
