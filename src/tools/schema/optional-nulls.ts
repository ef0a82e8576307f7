import { type GbnfJsonSchema, type GrammarNode, isJsonSchemaObject } from "./types.js";

const MAX_DEPTH = 512;

/**
 * Removes the nulls a grammar produced for optional properties (see `optionalWrappers` in
 * normalize/objects.ts), walking the value alongside the grammar schema that produced it. Values the
 * grammar did not produce pass through unchanged apart from such nulls, so this is safe to run
 * on any arguments.
 */
export function removeOptionalNulls(
  value: unknown,
  grammarSchema: GbnfJsonSchema,
  optionalWrappers: WeakSet<object>,
): unknown {
  const root = grammarSchema as GrammarNode;
  const defs = isJsonSchemaObject(root.$defs) ? (root.$defs as Record<string, GrammarNode>) : {};
  const resolve = (node: GrammarNode): GrammarNode => {
    let current = node;
    for (let hops = 0; typeof current.$ref === "string" && hops < 64; hops++) {
      current = defs[current.$ref.slice("#/$defs/".length)] ?? {};
    }
    return current;
  };

  const matches = (candidate: unknown, schemaNode: GrammarNode, depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    const node = resolve(schemaNode);
    if (Array.isArray(node.oneOf)) {
      return (node.oneOf as GrammarNode[]).some((branch) => matches(candidate, branch, depth + 1));
    }
    if ("const" in node) return candidate === node.const;
    if (Array.isArray(node.enum)) return node.enum.includes(candidate);
    const types = Array.isArray(node.type) ? node.type : [node.type];
    return types.some((type) => {
      switch (type) {
        case "object":
          return isJsonSchemaObject(candidate) && objectMatches(candidate, node, depth);
        case "array":
          return Array.isArray(candidate) && arrayMatches(candidate, node, depth);
        case "string":
          return typeof candidate === "string";
        case "number":
          return typeof candidate === "number";
        case "integer":
          return Number.isInteger(candidate);
        case "boolean":
          return typeof candidate === "boolean";
        case "null":
          return candidate === null;
        default:
          return false;
      }
    });
  };

  const objectMatches = (candidate: Record<string, unknown>, node: GrammarNode, depth: number) => {
    const properties = (node.properties ?? {}) as Record<string, GrammarNode>;
    for (const [key, propertyNode] of Object.entries(properties)) {
      if (!Object.hasOwn(candidate, key)) {
        if (optionalWrappers.has(propertyNode)) continue;
        return false;
      }
      if (!matches(candidate[key], propertyNode, depth + 1)) return false;
    }
    const additional = node.additionalProperties;
    for (const key of Object.keys(candidate)) {
      if (Object.hasOwn(properties, key)) continue;
      if (additional === true) continue;
      if (!isJsonSchemaObject(additional)) return false;
      if (!matches(candidate[key], additional, depth + 1)) return false;
    }
    return true;
  };

  const arrayMatches = (candidate: unknown[], node: GrammarNode, depth: number) => {
    const prefix = (node.prefixItems ?? []) as GrammarNode[];
    return candidate.every((item, index) => {
      const itemNode = prefix[index] ?? (node.items as GrammarNode | undefined);
      return itemNode === undefined || matches(item, itemNode, depth + 1);
    });
  };

  const walk = (current: unknown, schemaNode: GrammarNode, depth: number): unknown => {
    if (depth > MAX_DEPTH) return current;
    const node = resolve(schemaNode);
    if (Array.isArray(node.oneOf)) {
      const branch = (node.oneOf as GrammarNode[]).find((option) =>
        matches(current, option, depth),
      );
      return branch ? walk(current, branch, depth + 1) : current;
    }
    if (node.type === "object" && isJsonSchemaObject(current)) {
      const properties = (node.properties ?? {}) as Record<string, GrammarNode>;
      const additional = node.additionalProperties;
      const entries: [string, unknown][] = [];
      for (const [key, item] of Object.entries(current)) {
        if (Object.hasOwn(properties, key)) {
          const propertyNode = properties[key];
          if (item === null && optionalWrappers.has(propertyNode)) continue;
          entries.push([key, walk(item, propertyNode, depth + 1)]);
        } else if (isJsonSchemaObject(additional)) {
          entries.push([key, walk(item, additional, depth + 1)]);
        } else {
          entries.push([key, item]);
        }
      }
      // fromEntries defines own properties, so a "__proto__" key stays data.
      return Object.fromEntries(entries);
    }
    if (node.type === "array" && Array.isArray(current)) {
      const prefix = (node.prefixItems ?? []) as GrammarNode[];
      return current.map((item, index) => {
        const itemNode = prefix[index] ?? (node.items as GrammarNode | undefined);
        return itemNode === undefined ? item : walk(item, itemNode, depth + 1);
      });
    }
    return current;
  };

  return walk(value, root, 0);
}
