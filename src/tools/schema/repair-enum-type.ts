import { escapePointerSegment } from "./pointer.js";
import { isJsonSchemaObject, type JsonSchema } from "./types.js";

type Primitive = string | number | boolean | null;

/**
 * One `{ type, enum }` node whose enum holds no value of the declared type, e.g.
 * `{ "type": "boolean", "enum": ["True", "False", "dontcare"] }` (common in real-world tool
 * definitions such as BFCL's live data). Read literally it accepts no value at all.
 *
 * The repair widens `type` to the types the enum holds, so the grammar generates exactly the enum
 * values, and keeps a two-way map between the enum values that spell a value of the declared type
 * ("True" ↔ true, "1" ↔ 1) and those values: arguments are checked in the enum's spelling and
 * reach the tool in the declared type. Enum values that spell nothing ("dontcare") reach the tool
 * as written.
 */
export interface EnumTypeRepair {
  /** JSON Pointer of the node in the tool's parameters, e.g. `#/properties/is_unisex`. */
  path: string;
  /** The types the schema declared. */
  declared: string[];
  /** The types the enum's values have, which the repaired node declares. */
  widenedTo: string[];
  /** `[enum value, declared-type value]` pairs; only unambiguous ones (no two enum values map to one value). */
  conversions: Array<[Primitive, Primitive]>;
  /**
   * Where the value sits in the arguments: property names, `"[]"` for every array item, `"*"`
   * for every additional property. Absent under `anyOf`/`oneOf`/`allOf`/`$ref`, where which
   * branch a value took is not known: such values are widened but not converted.
   */
  valuePath?: string[];
}

export interface EnumTypeRepairResult {
  /** The schema with each repaired node widened; the input object itself when nothing needed a repair. */
  schema: JsonSchema;
  repairs: EnumTypeRepair[];
}

const isPrimitive = (value: unknown): value is Primitive =>
  value === null ||
  typeof value === "string" ||
  typeof value === "boolean" ||
  (typeof value === "number" && Number.isFinite(value));

function typeOf(value: Primitive): string {
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: Primitive, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

/** The value of `type` that `value` spells, if it spells exactly one ("True" → true, "7" → 7, 7 → "7"). */
function spell(value: Primitive, type: string): Primitive | undefined {
  if (typeof value === "string") {
    const text = value.trim();
    switch (type) {
      case "boolean":
        if (/^true$/i.test(text)) return true;
        if (/^false$/i.test(text)) return false;
        return undefined;
      case "integer": {
        if (!/^-?\d+$/.test(text)) return undefined;
        const number = Number(text);
        return Number.isSafeInteger(number) ? number : undefined;
      }
      case "number": {
        if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
        const number = Number(text);
        return Number.isFinite(number) ? number : undefined;
      }
      case "null":
        return /^(null|none)$/i.test(text) ? null : undefined;
      default:
        return undefined;
    }
  }
  if (type === "string" && value !== null) return String(value);
  return undefined;
}

function conversionsFor(values: Primitive[], declared: string[]): Array<[Primitive, Primitive]> {
  const pairs: Array<[Primitive, Primitive]> = [];
  for (const value of values) {
    for (const type of declared) {
      const converted = spell(value, type);
      if (converted !== undefined) {
        pairs.push([value, converted]);
        break;
      }
    }
  }
  // "True" and "true" both spelling true could not be told apart on the way back.
  const counts = new Map<Primitive, number>();
  for (const [, converted] of pairs) counts.set(converted, (counts.get(converted) ?? 0) + 1);
  return pairs.filter(([, converted]) => counts.get(converted) === 1);
}

const CHILD_MAPS = ["properties", "$defs", "definitions"] as const;
const BRANCH_LISTS = ["anyOf", "oneOf", "allOf"] as const;

/**
 * Finds and widens every `{ type, enum }` node whose enum holds no value of its type (see
 * `EnumTypeRepair`). Everything else is left exactly as it was.
 */
export function repairEnumTypes(schema: JsonSchema): EnumTypeRepairResult {
  const repairs: EnumTypeRepair[] = [];
  const visit = (node: unknown, path: string, valuePath: string[] | undefined): unknown => {
    if (!isJsonSchemaObject(node)) return node;
    let out: JsonSchema | undefined;
    const set = (key: string, value: unknown) => {
      if (value === node[key]) return;
      out ??= { ...node };
      out[key] = value;
    };

    const declared = typeof node.type === "string" ? [node.type] : node.type;
    if (
      Array.isArray(declared) &&
      declared.length > 0 &&
      Array.isArray(node.enum) &&
      node.enum.length > 0 &&
      node.enum.every(isPrimitive) &&
      !node.enum.some((value) => declared.some((type) => hasType(value, String(type))))
    ) {
      const values = node.enum as Primitive[];
      const widenedTo = [...new Set(values.map(typeOf))];
      // An integer and a number enum together are numbers.
      const types = widenedTo.includes("number")
        ? widenedTo.filter((type) => type !== "integer")
        : widenedTo;
      set("type", types.length === 1 ? types[0] : types);
      const repair: EnumTypeRepair = {
        path,
        declared: declared.map(String),
        widenedTo: types,
        conversions: conversionsFor(values, declared.map(String)),
      };
      if (valuePath) repair.valuePath = valuePath;
      repairs.push(repair);
    }

    for (const key of CHILD_MAPS) {
      const children = node[key];
      if (!isJsonSchemaObject(children)) continue;
      let changed: JsonSchema | undefined;
      for (const [name, child] of Object.entries(children)) {
        const childPath = `${path}/${key}/${escapePointerSegment(name)}`;
        const childValuePath = key === "properties" && valuePath ? [...valuePath, name] : undefined;
        const repaired = visit(child, childPath, childValuePath);
        if (repaired !== child) {
          changed ??= { ...children };
          changed[name] = repaired;
        }
      }
      if (changed) set(key, changed);
    }
    if (isJsonSchemaObject(node.items)) {
      set("items", visit(node.items, `${path}/items`, valuePath && [...valuePath, "[]"]));
    }
    if (isJsonSchemaObject(node.additionalProperties)) {
      set(
        "additionalProperties",
        visit(
          node.additionalProperties,
          `${path}/additionalProperties`,
          valuePath && [...valuePath, "*"],
        ),
      );
    }
    for (const key of ["prefixItems", ...BRANCH_LISTS] as const) {
      const list = node[key];
      if (!Array.isArray(list)) continue;
      const repaired = list.map((child, index) =>
        visit(child, `${path}/${key}/${index}`, undefined),
      );
      if (repaired.some((child, index) => child !== list[index])) set(key, repaired);
    }
    if (Array.isArray(node.items)) {
      const list = node.items;
      const repaired = list.map((child, index) =>
        visit(child, `${path}/items/${index}`, undefined),
      );
      if (repaired.some((child, index) => child !== list[index])) set("items", repaired);
    }
    return out ?? node;
  };
  const repaired = visit(schema, "#", []) as JsonSchema;
  return { schema: repaired, repairs };
}

function convertAt(
  value: unknown,
  path: readonly string[],
  map: (leaf: unknown) => unknown,
): unknown {
  if (path.length === 0) return map(value);
  const [head, ...rest] = path;
  if (head === "[]") {
    return Array.isArray(value) ? value.map((item) => convertAt(item, rest, map)) : value;
  }
  if (!isJsonSchemaObject(value)) return value;
  if (head === "*") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, convertAt(item, rest, map)]),
    );
  }
  if (!(head in value)) return value;
  return { ...value, [head]: convertAt(value[head], rest, map) };
}

function convert(args: unknown, repairs: readonly EnumTypeRepair[], from: 0 | 1): unknown {
  let out = args;
  for (const repair of repairs) {
    if (!repair.valuePath || repair.conversions.length === 0) continue;
    const to = from === 0 ? 1 : 0;
    out = convertAt(out, repair.valuePath, (leaf) => {
      const pair = repair.conversions.find((entry) => Object.is(entry[from], leaf));
      return pair ? pair[to] : leaf;
    });
  }
  return out;
}

/** Arguments in the declared types, for the tool to run with: "True" → true where a repair says so. */
export const toDeclaredTypes = (args: unknown, repairs: readonly EnumTypeRepair[]) =>
  repairs.length === 0 ? args : convert(args, repairs, 0);

/** Arguments in the enum's own spelling, which the repaired schema validates: true → "True". */
export const toEnumSpelling = (args: unknown, repairs: readonly EnumTypeRepair[]) =>
  repairs.length === 0 ? args : convert(args, repairs, 1);

/** How a repair reads in a warning or report. */
export function describeEnumTypeRepair(repair: EnumTypeRepair): string {
  const shown = repair.conversions.map(
    ([from, to]) => `${JSON.stringify(from)}→${JSON.stringify(to)}`,
  );
  return (
    `${repair.path}: type ${repair.declared.join("|")} holds none of its enum values; ` +
    `widened to ${repair.widenedTo.join("|")}` +
    (shown.length > 0 && repair.valuePath ? `, converted back ${shown.join(", ")}` : "")
  );
}
