import { ANNOTATION_KEYWORDS, ruleFor, VALIDATION_KEYWORDS } from "../keywords.js";
import { type GrammarNode, isJsonSchemaObject, type JsonSchema } from "../types.js";
import type { Normalization } from "./context.js";
import { followRefs, refTarget } from "./refs.js";

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `anyOf` / `oneOf`: one grammar alternative per branch that can match. */
export function alternatives(n: Normalization, schema: JsonSchema, path: string): GrammarNode {
  if ("anyOf" in schema && "oneOf" in schema) {
    n.fail(
      '"anyOf" and "oneOf" side by side are not supported.',
      path,
      "oneOf",
      'Nest one of them in "allOf".',
    );
  }
  const keyword = "oneOf" in schema ? "oneOf" : "anyOf";
  const branches = schema[keyword];
  if (!Array.isArray(branches) || branches.length === 0) {
    n.fail(`\`${keyword}\` must be a non-empty array.`, path, keyword);
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
        branch === true ? shared : merge(n, shared, n.asObject(branch, branchPath), branchPath);
    }
    const node = n.node(effective, branchPath);
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
  if (nodes.length === 0) n.fail(`no branch of \`${keyword}\` can match.`, path, keyword);
  if (keyword === "oneOf" && nodes.length > 1) n.after(path, "oneOf");
  return nodes.length === 1 ? nodes[0] : { oneOf: nodes };
}

/** `allOf` as one schema: its branches merged (references followed), constraint-only ones left to the validator. */
export function mergeAllOf(n: Normalization, schema: JsonSchema, path: string): JsonSchema {
  const branches = schema.allOf;
  if (!Array.isArray(branches) || branches.length === 0) {
    n.fail("`allOf` must be a non-empty array.", path, "allOf");
  }
  let merged: JsonSchema = { ...schema };
  delete merged.allOf;
  branches.forEach((branch: unknown, index: number) => {
    const branchPath = `${path}/allOf/${index}`;
    if (branch === true) return;
    if (branch === false) n.fail("`allOf` contains `false`: nothing can match.", branchPath);
    const resolved = followRefs(n.asObject(branch, branchPath), (ref, { $ref, ...siblings }) =>
      merge(n, n.asObject(refTarget(n, ref, branchPath), branchPath), siblings, branchPath),
    );
    n.checkKeywords(resolved, branchPath);
    const structural = Object.keys(resolved).filter(
      (key) =>
        ruleFor(key) !== undefined &&
        !VALIDATION_KEYWORDS.has(key) &&
        !ANNOTATION_KEYWORDS.has(key),
    );
    if (structural.length === 0) {
      // A branch of pure constraints (Zod puts several `pattern`s here) is the validator's job.
      n.recordAllValidation(resolved, branchPath);
      return;
    }
    merged = merge(n, merged, resolved, branchPath);
  });
  return merged;
}

/** Both schemas at once, where they can be combined without changing either one's meaning. */
export function merge(
  n: Normalization,
  base: JsonSchema,
  extra: JsonSchema,
  path: string,
): JsonSchema {
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
          n.fail(
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
      if (both.length === 0) n.fail("the combined schemas have no type in common.", path, "type");
      out.type = both.length === 1 ? both[0] : both;
    } else {
      n.fail(
        `"${key}" has different values in the combined schemas.`,
        path,
        key,
        "Merge the schemas by hand (e.g. z.object(...).extend(...) instead of an intersection).",
      );
    }
  }
  return out;
}
