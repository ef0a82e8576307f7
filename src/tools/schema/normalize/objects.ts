import { ANNOTATION_KEYWORDS } from "../keywords.js";
import { escapePointerSegment } from "../pointer.js";
import { type GrammarNode, isJsonSchemaObject, type JsonSchema } from "../types.js";
import type { Normalization } from "./context.js";
import { lookupRef } from "./refs.js";

function optionalDescription(description: unknown): string {
  return typeof description === "string" && description !== ""
    ? `${description} (optional: null leaves it out)`
    : "Optional: null leaves it out.";
}

/** Whether the schema accepts null (then a null for an optional property is meaningful). */
function allowsNull(root: JsonSchema, schema: unknown, seen: Set<string>): boolean {
  if (schema === true) return true;
  if (!isJsonSchemaObject(schema)) return false;
  if (typeof schema.$ref === "string" && schema.$ref.startsWith("#")) {
    if (seen.has(schema.$ref)) return false;
    seen.add(schema.$ref);
    const target = lookupRef(root, schema.$ref);
    if (target === undefined || !allowsNull(root, target, seen)) return false;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.includes("null")) return false;
  }
  if ("const" in schema && schema.const !== null) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) return false;
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && !branches.some((branch) => allowsNull(root, branch, seen))) {
      return false;
    }
  }
  const all = schema.allOf;
  if (Array.isArray(all) && !all.every((branch) => allowsNull(root, branch, seen))) return false;
  return true;
}

export function object(n: Normalization, schema: JsonSchema, path: string): GrammarNode {
  n.recordValidation(schema, "object", path);
  const declared: JsonSchema = {
    ...n.asObject(schema.properties ?? {}, `${path}/properties`),
  };
  const requiredList = schema.required ?? [];
  if (!Array.isArray(requiredList) || requiredList.some((key) => typeof key !== "string")) {
    n.fail("`required` must be an array of property names.", path, "required");
  }
  const required = new Set(requiredList as string[]);
  const additional = schema.additionalProperties;
  let closed = additional === false;
  const valueSchemaForNewKey = () =>
    additional === undefined || additional === true ? true : additional;

  const propertyNames = schema.propertyNames;
  if (propertyNames !== undefined && propertyNames !== true) {
    const names = n.asObject(propertyNames, `${path}/propertyNames`);
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
    if (!onlyStringKeys) n.after(path, "propertyNames");
  }

  for (const key of required) {
    if (key in declared) continue;
    if (closed) {
      n.fail(
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
    const propertyNode = n.node(propertySchema, `${path}/properties/${escapePointerSegment(key)}`);
    if (required.has(key)) {
      properties[key] = propertyNode;
      continue;
    }
    hasOptional = true;
    if (allowsNull(n.root, propertySchema, new Set())) {
      // null is a real value here; the property is always generated and keeps its null.
      properties[key] = propertyNode;
      continue;
    }
    const wrapper: GrammarNode = {
      oneOf: [propertyNode, { type: "null" }],
      description: optionalDescription(propertyNode.description),
    };
    n.wrappers.add(wrapper);
    properties[key] = wrapper;
  }
  if (Object.keys(properties).length > 0) node.properties = properties;
  if (!closed) {
    if (isJsonSchemaObject(additional)) {
      node.additionalProperties = n.node(additional, `${path}/additionalProperties`);
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
    else n.after(path, keyword);
  }
  return node;
}

export function array(n: Normalization, schema: JsonSchema, path: string): GrammarNode {
  n.recordValidation(schema, "array", path);
  const node: GrammarNode = { type: "array" };
  const tupleInItems = Array.isArray(schema.items);
  const prefix = tupleInItems ? schema.items : schema.prefixItems;
  const rest = tupleInItems ? schema.additionalItems : schema.items;
  const prefixKeyword = tupleInItems ? "items" : "prefixItems";
  if (prefix !== undefined) {
    if (!Array.isArray(prefix)) n.fail(`\`${prefixKeyword}\` must be an array.`, path);
    node.prefixItems = prefix.map((item, index) =>
      n.node(item, `${path}/${prefixKeyword}/${index}`),
    );
  }
  let maxItems = typeof schema.maxItems === "number" ? schema.maxItems : undefined;
  if (rest === false) {
    const length = Array.isArray(prefix) ? prefix.length : 0;
    maxItems = maxItems === undefined ? length : Math.min(maxItems, length);
  } else if (rest !== undefined && rest !== true) {
    node.items = n.node(rest, `${path}/${tupleInItems ? "additionalItems" : "items"}`);
  }
  if (typeof schema.minItems === "number") node.minItems = schema.minItems;
  if (maxItems !== undefined) node.maxItems = maxItems;
  return node;
}
