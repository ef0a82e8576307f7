import { ANNOTATION_KEYWORDS, ruleFor, VALIDATION_KEYWORDS } from "../keywords.js";
import { pointerSegments, resolvePointer } from "../pointer.js";
import type { GrammarNode, JsonSchema } from "../types.js";
import type { Normalization } from "./context.js";

/** A chain of references longer than this is a cycle of references with no schema at its end. */
const MAX_REF_HOPS = 64;

/**
 * The schema at the end of a chain of `$ref`s: `step` turns a schema with a `$ref` into the one
 * it leads to (the target, with whatever the step merges in). The one place references are
 * followed, in the input schema and in the grammar schema alike.
 */
export function followRefs<T extends { $ref?: unknown }>(
  schema: T,
  step: (ref: string, schema: T) => T,
): T {
  let node = schema;
  for (let hops = 0; typeof node.$ref === "string" && hops < MAX_REF_HOPS; hops++) {
    node = step(node.$ref, node);
  }
  return node;
}

/** What a local reference (`#/...`) points to in `root`; undefined for anything else. */
export function lookupRef(root: JsonSchema, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  try {
    return resolvePointer(root, pointerSegments(ref.slice(1)));
  } catch {
    return undefined;
  }
}

/** The target of a reference, or a clear error: only local references to something resolve. */
export function refTarget(n: Normalization, ref: unknown, path: string): unknown {
  if (typeof ref !== "string" || !ref.startsWith("#")) {
    n.fail(
      `reference ${JSON.stringify(ref)} is not local to the schema.`,
      path,
      "$ref",
      'Inline the referenced schema or move it under "$defs" and reference "#/$defs/<name>".',
    );
  }
  const target = lookupRef(n.root, ref);
  if (target === undefined)
    n.fail(`reference "${ref}" points to nothing in the schema.`, path, "$ref");
  return target;
}

/** A `$ref` schema: its target becomes one `$defs` entry, however many places refer to it. */
export function reference(n: Normalization, schema: JsonSchema, path: string): GrammarNode {
  for (const keyword of Object.keys(schema)) {
    if (keyword === "$ref" || keyword === "$defs" || keyword === "definitions") continue;
    if (ANNOTATION_KEYWORDS.has(keyword) || ruleFor(keyword) === undefined) continue;
    if (VALIDATION_KEYWORDS.has(keyword)) {
      n.after(path, keyword);
      continue;
    }
    n.fail(
      `"$ref" next to "${keyword}" is not supported.`,
      path,
      keyword,
      'Move the keyword into the referenced definition, or combine them with "allOf".',
    );
  }
  const ref = schema.$ref;
  const target = refTarget(n, ref, path);
  const fragment = (ref as string).slice(1);
  let name = n.defNames.get(fragment);
  if (name === undefined) {
    name = allocateDefName(n, fragment);
    n.defNames.set(fragment, name);
    n.defs[name] = {};
    n.defs[name] = n.node(target, `#${fragment}`);
  }
  return { $ref: `#/$defs/${name}` };
}

/** The grammar node a grammar `$ref` (`#/$defs/<name>`) stands for. */
export function grammarDef(n: Normalization, ref: string): GrammarNode {
  return n.defs[ref.slice("#/$defs/".length)] ?? {};
}

function allocateDefName(n: Normalization, fragment: string): string {
  const segments = pointerSegments(fragment);
  const base =
    segments.length === 0
      ? "root"
      : segments.length === 2 && (segments[0] === "$defs" || segments[0] === "definitions")
        ? segments[1]
        : segments.join("_");
  const safe = base.replace(/[^A-Za-z0-9_.-]/g, "_") || "def";
  let name = safe;
  for (let suffix = 2; name in n.defs; suffix++) name = `${safe}_${suffix}`;
  return name;
}
