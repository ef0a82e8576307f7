import { isJsonSchemaObject, type JsonSchema } from "../schema/types.js";

/**
 * Completing JSON that generation cut off, within its schema.
 *
 * A forced call or a structured output is decoded under a grammar, so whatever the model
 * wrote is a prefix of valid JSON. When the token budget runs out inside it (a random or a
 * looping model writes an unbounded string forever), the prefix is closed here: the open
 * string, number or literal ends (an enum value completes to the option it started), the
 * properties the schema still requires get their smallest valid values, arrays get the items
 * `minItems` asks for, and every bracket closes. No JSON library completes a prefix against a
 * schema; node-llama-cpp's grammar only says which next token is allowed, not how to end.
 *
 * `schema` is the grammar's schema (what the text follows: every property written, optional
 * ones as `oneOf [T, null]`); `hints` is the caller's own JSON Schema at the same place, read
 * for the keywords the grammar leaves out (minimum, maximum) so the smallest values validate.
 */

interface Defs {
  root: JsonSchema;
}

function resolveRef(schema: JsonSchema, defs: Defs): JsonSchema {
  let node = schema;
  for (let depth = 0; depth < 32 && typeof node.$ref === "string"; depth++) {
    const ref = node.$ref as string;
    if (ref === "#") {
      node = defs.root;
      continue;
    }
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    const table = match ? (defs.root[match[1]] as Record<string, unknown> | undefined) : undefined;
    const target = match && table ? table[decodeURIComponent(match[2])] : undefined;
    if (!isJsonSchemaObject(target)) return {};
    node = target;
  }
  return node;
}

function branches(schema: JsonSchema): JsonSchema[] | undefined {
  const list = (schema.oneOf ?? schema.anyOf) as unknown;
  return Array.isArray(list) ? list.filter(isJsonSchemaObject) : undefined;
}

function types(schema: JsonSchema): string[] {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type))
    return schema.type.filter((t): t is string => typeof t === "string");
  if ("const" in schema) return [jsonType(schema.const)];
  if (Array.isArray(schema.enum)) return [...new Set(schema.enum.map(jsonType))];
  if (isJsonSchemaObject(schema.properties)) return ["object"];
  if (schema.items !== undefined || schema.prefixItems !== undefined) return ["array"];
  return [];
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/**
 * The branch of a union the text took: by its first character, and among object branches by
 * the `const` properties the text has written so far (a tool call's `"name"`).
 */
function branchFor(schema: JsonSchema, first: string, defs: Defs, ahead = ""): JsonSchema {
  const node = resolveRef(schema, defs);
  const list = branches(node);
  if (!list) return node;
  if (first === "{") {
    const objects = list
      .map((branch) => branchFor(branch, first, defs, ahead))
      .filter((branch) => types(branch).includes("object"));
    const matching = objects.filter((branch) => constsAgree(branch, ahead));
    if (matching.length > 0) return matching[0];
  }
  const wanted =
    first === '"'
      ? ["string"]
      : first === "{"
        ? ["object"]
        : first === "["
          ? ["array"]
          : first === "t" || first === "f"
            ? ["boolean"]
            : first === "n"
              ? ["null"]
              : ["number", "integer"];
  for (const candidate of list) {
    const resolved = branchFor(candidate, first, defs, ahead);
    if (types(resolved).some((type) => wanted.includes(type))) return resolved;
  }
  return branchFor(list[0], first, defs, ahead);
}

/** Whether every `const` property the object text has begun to write can still match. */
function constsAgree(branch: JsonSchema, text: string): boolean {
  const properties = isJsonSchemaObject(branch.properties) ? branch.properties : {};
  for (const [key, property] of Object.entries(properties)) {
    if (!isJsonSchemaObject(property) || !("const" in property)) continue;
    const at = text.indexOf(`${JSON.stringify(key)}:`);
    if (at < 0) continue;
    const written = text.slice(at + JSON.stringify(key).length + 1).trimStart();
    const expected = JSON.stringify(property.const);
    if (!(expected.startsWith(written.slice(0, expected.length)) || written.startsWith(expected)))
      return false;
  }
  return true;
}

function hintFor(hint: JsonSchema | undefined, defs: Defs | undefined, key: string | number) {
  if (!hint || !defs) return undefined;
  let node = resolveRef(hint, defs);
  const list = branches(node);
  if (list) node = resolveRef(list.find((b) => !types(b).includes("null")) ?? list[0], defs);
  if (typeof key === "number") {
    const prefix = Array.isArray(node.prefixItems) ? node.prefixItems[key] : undefined;
    const item = isJsonSchemaObject(prefix) ? prefix : node.items;
    return isJsonSchemaObject(item) ? item : undefined;
  }
  const properties = node.properties;
  const value = isJsonSchemaObject(properties) ? properties[key] : undefined;
  return isJsonSchemaObject(value) ? value : undefined;
}

const FORMAT_EXAMPLES: Record<string, string> = {
  date: "2000-01-01",
  time: "00:00:00",
  "date-time": "2000-01-01T00:00:00Z",
};

/** The smallest JSON text valid under `schema` (a null where the union allows one). */
export function minimalJson(
  schema: JsonSchema,
  root: JsonSchema = schema,
  hint?: JsonSchema,
  hintRoot: JsonSchema | undefined = hint,
): string {
  const defs = { root };
  const hintDefs = hintRoot ? { root: hintRoot } : undefined;
  const node = resolveRef(schema, defs);
  if ("const" in node) return JSON.stringify(node.const);
  if (Array.isArray(node.enum) && node.enum.length > 0) return JSON.stringify(node.enum[0]);
  const list = branches(node);
  if (list) {
    const nullable = list.find((branch) => types(resolveRef(branch, defs)).includes("null"));
    return minimalJson(nullable ?? list[0], root, hint, hintRoot);
  }
  const kinds = types(node);
  if (kinds.includes("null")) return "null";
  const hinted = hint && hintDefs ? resolveRef(hint, hintDefs) : undefined;
  switch (kinds[0]) {
    case "string": {
      const format = typeof node.format === "string" ? FORMAT_EXAMPLES[node.format] : undefined;
      if (format) return JSON.stringify(format);
      const length = typeof node.minLength === "number" ? node.minLength : 0;
      return JSON.stringify("x".repeat(length));
    }
    case "integer":
    case "number":
      return String(smallestNumber(node, hinted, kinds[0] === "integer"));
    case "boolean":
      return "false";
    case "array": {
      const count = typeof node.minItems === "number" ? node.minItems : 0;
      const items: string[] = [];
      for (let index = 0; index < count; index++) {
        const prefix = Array.isArray(node.prefixItems) ? node.prefixItems[index] : undefined;
        const item = isJsonSchemaObject(prefix)
          ? prefix
          : isJsonSchemaObject(node.items)
            ? node.items
            : {};
        items.push(minimalJson(item, root, hintFor(hint, hintDefs, index), hintRoot));
      }
      return `[${items.join(", ")}]`;
    }
    case "object": {
      const properties = isJsonSchemaObject(node.properties) ? node.properties : {};
      const parts = requiredKeys(node).map(
        (key) =>
          `${JSON.stringify(key)}: ${minimalJson(
            isJsonSchemaObject(properties[key]) ? properties[key] : {},
            root,
            hintFor(hint, hintDefs, key),
            hintRoot,
          )}`,
      );
      return `{${parts.join(", ")}}`;
    }
    default:
      return "null";
  }
}

function smallestNumber(node: JsonSchema, hint: JsonSchema | undefined, integer: boolean): number {
  const read = (key: string) => {
    const value = node[key] ?? hint?.[key];
    return typeof value === "number" ? value : undefined;
  };
  const minimum = read("minimum");
  const exclusive = read("exclusiveMinimum");
  const maximum = read("maximum");
  let value = 0;
  if (minimum !== undefined && value < minimum) value = minimum;
  if (exclusive !== undefined && value <= exclusive)
    value = integer ? Math.floor(exclusive) + 1 : exclusive + 1;
  if (maximum !== undefined && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

/**
 * Keys an object must hold: node-llama-cpp's grammar writes every property (optional ones as
 * null), so a grammar schema's properties are all needed; `required` adds any it lists.
 */
function requiredKeys(node: JsonSchema): string[] {
  const properties = isJsonSchemaObject(node.properties) ? Object.keys(node.properties) : [];
  const required = Array.isArray(node.required)
    ? node.required.filter((key): key is string => typeof key === "string")
    : [];
  return [...new Set([...properties, ...required])];
}

export interface ClosedJson {
  /** The text with its completion appended. */
  text: string;
  /** What was appended (empty when the text was already complete). */
  completion: string;
}

/** Generation stopped inside a value: `tail` closes it; `drop` characters (a half-written escape) go first. */
class Cut {
  constructor(
    readonly tail: string,
    readonly drop = 0,
  ) {}
}

/**
 * Appends what `partial` (a prefix of JSON written under `schema`) needs to become a complete
 * value valid under it. Text after a complete value is left as is.
 */
export function closeJson(partial: string, schema: JsonSchema, hint?: JsonSchema): ClosedJson {
  const defs = { root: schema };
  const hintDefs = hint ? { root: hint } : undefined;
  const s = partial;
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };

  const value = (schema: JsonSchema, hint: JsonSchema | undefined): void => {
    ws();
    if (i >= s.length) throw new Cut(minimalJson(schema, defs.root, hint, hintDefs?.root));
    const first = s[i];
    const node = branchFor(schema, first, defs, s.slice(i));
    if (first === "{") object(node, hint);
    else if (first === "[") array(node, hint);
    else if (first === '"') string(node);
    else if (first === "t" || first === "f" || first === "n") literal();
    else number(node, hint);
  };

  const string = (node: JsonSchema): void => {
    const start = i;
    i++;
    while (i < s.length) {
      if (s[i] === "\\") {
        i += 2;
        continue;
      }
      if (s[i] === '"') {
        i++;
        return;
      }
      i++;
    }
    // Cut inside the string: drop a half-written escape, then end the string within the schema.
    let written = s.slice(start);
    const halfEscape = /\\(u[0-9a-fA-F]{0,3})?$/.exec(written);
    const dropped = halfEscape ? halfEscape[0].length : 0;
    if (dropped > 0) written = written.slice(0, -dropped);
    const options =
      "const" in node ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
    if (options) {
      const match = options
        .map((option) => JSON.stringify(option))
        .find((text) => text.startsWith(written));
      if (match) throw new Cut(match.slice(written.length), dropped);
    }
    const format = typeof node.format === "string" ? FORMAT_EXAMPLES[node.format] : undefined;
    const content = JSON.parse(`${written}"`) as string;
    if (format && content.length < format.length) {
      throw new Cut(JSON.stringify(format.slice(content.length)).slice(1), dropped);
    }
    const missing =
      typeof node.minLength === "number" ? Math.max(0, node.minLength - [...content].length) : 0;
    throw new Cut(`${"x".repeat(missing)}"`, dropped);
  };

  const literal = (): void => {
    const start = i;
    while (i < s.length && /[a-z]/.test(s[i])) i++;
    if (i < s.length) return;
    const written = s.slice(start);
    const word = ["true", "false", "null"].find((candidate) => candidate.startsWith(written));
    if (word && word !== written) throw new Cut(word.slice(written.length));
  };

  const number = (node: JsonSchema, hint: JsonSchema | undefined): void => {
    const start = i;
    while (i < s.length && /[-+0-9.eE]/.test(s[i])) i++;
    if (i < s.length) return;
    const written = s.slice(start);
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(written)) {
      // "-", "1.", "1e", "1e+": one more digit makes it a number again.
      throw new Cut("0");
    }
    // Digits cut short may sit below the minimum ("1" of "12"): more digits raise them to it.
    const minimum = smallestNumber(node, hint ? resolveRef(hint, hintDefs!) : undefined, false);
    if (/^[1-9][0-9]*$/.test(written) && Number(written) < minimum) {
      let digits = written;
      while (Number(digits) < minimum) digits += "0";
      throw new Cut(digits.slice(written.length));
    }
  };

  const object = (node: JsonSchema, hint: JsonSchema | undefined): void => {
    const properties = isJsonSchemaObject(node.properties) ? node.properties : {};
    const seen: string[] = [];
    const rest = () => {
      const parts = requiredKeys(node)
        .filter((key) => !seen.includes(key))
        .map(
          (key) =>
            `${JSON.stringify(key)}: ${minimalJson(
              isJsonSchemaObject(properties[key]) ? properties[key] : {},
              defs.root,
              hintFor(hint, hintDefs, key),
              hintDefs?.root,
            )}`,
        );
      return parts;
    };
    const close = (prefix: string, needComma: boolean) => {
      const parts = rest();
      if (parts.length === 0) return `${prefix}}`;
      return `${prefix}${needComma ? ", " : ""}${parts.join(", ")}}`;
    };
    i++; // {
    while (true) {
      ws();
      if (i >= s.length) throw new Cut(close("", seen.length > 0 && s.trimEnd().at(-1) !== ","));
      if (s[i] === "}") {
        i++;
        return;
      }
      if (s[i] === ",") {
        i++;
        continue;
      }
      // A key.
      const keyStart = i;
      try {
        string({});
      } catch (cut) {
        if (!(cut instanceof Cut)) throw cut;
        const written = s.slice(keyStart);
        const key = requiredKeys(node).find(
          (candidate) => !seen.includes(candidate) && JSON.stringify(candidate).startsWith(written),
        );
        if (!key) throw new Cut(`${cut.tail}: null}`, cut.drop);
        seen.push(key);
        const valueText = minimalJson(
          isJsonSchemaObject(properties[key]) ? properties[key] : {},
          defs.root,
          hintFor(hint, hintDefs, key),
          hintDefs?.root,
        );
        throw new Cut(
          close(`${JSON.stringify(key).slice(written.length - cut.drop)}: ${valueText}`, true),
          cut.drop,
        );
      }
      const key = JSON.parse(s.slice(keyStart, i)) as string;
      seen.push(key);
      const propertySchema = isJsonSchemaObject(properties[key]) ? properties[key] : {};
      const propertyHint = hintFor(hint, hintDefs, key);
      ws();
      if (i >= s.length) {
        throw new Cut(
          close(`: ${minimalJson(propertySchema, defs.root, propertyHint, hintDefs?.root)}`, true),
        );
      }
      i++; // :
      try {
        value(propertySchema, propertyHint);
      } catch (cut) {
        if (!(cut instanceof Cut)) throw cut;
        throw new Cut(close(cut.tail, true), cut.drop);
      }
    }
  };

  const array = (node: JsonSchema, hint: JsonSchema | undefined): void => {
    const minItems = typeof node.minItems === "number" ? node.minItems : 0;
    const itemSchema = (index: number): JsonSchema => {
      const prefix = Array.isArray(node.prefixItems) ? node.prefixItems[index] : undefined;
      if (isJsonSchemaObject(prefix)) return prefix;
      return isJsonSchemaObject(node.items) ? node.items : {};
    };
    let count = 0;
    const close = (prefix: string, needComma: boolean) => {
      const extra: string[] = [];
      for (let index = count; index < minItems; index++) {
        extra.push(
          minimalJson(itemSchema(index), defs.root, hintFor(hint, hintDefs, index), hintDefs?.root),
        );
      }
      if (extra.length === 0) return `${prefix}]`;
      return `${prefix}${needComma ? ", " : ""}${extra.join(", ")}]`;
    };
    i++; // [
    while (true) {
      ws();
      if (i >= s.length) throw new Cut(close("", count > 0 && s.trimEnd().at(-1) !== ","));
      if (s[i] === "]") {
        i++;
        return;
      }
      if (s[i] === ",") {
        i++;
        ws();
        if (i >= s.length) {
          // "[a, " : the next item is due.
          const next = minimalJson(
            itemSchema(count),
            defs.root,
            hintFor(hint, hintDefs, count),
            hintDefs?.root,
          );
          count++;
          throw new Cut(close(next, true));
        }
        continue;
      }
      const index = count;
      count++;
      try {
        value(itemSchema(index), hintFor(hint, hintDefs, index));
      } catch (cut) {
        if (!(cut instanceof Cut)) throw cut;
        throw new Cut(close(cut.tail, true), cut.drop);
      }
    }
  };

  try {
    value(schema, hint);
    return { text: partial, completion: "" };
  } catch (cut) {
    if (!(cut instanceof Cut)) throw cut;
    const kept = cut.drop > 0 ? partial.slice(0, -cut.drop) : partial;
    return { text: kept + cut.tail, completion: cut.tail };
  }
}
