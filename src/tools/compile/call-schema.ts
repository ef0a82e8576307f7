import type { GbnfJsonSchema, GrammarNode } from "../schema/types.js";
import { isJsonSchemaObject } from "../schema/types.js";

export interface CallSchemaTool {
  readonly modelName: string;
  readonly grammarSchema: GbnfJsonSchema;
}

export interface ToolCallSchemaOptions {
  /** An array of one or more calls instead of exactly one. */
  parallel?: boolean;
  /** With `parallel`: the most calls in one turn. */
  maxCalls?: number;
}

const DEFS_PREFIX = "#/$defs/";

/** A copy of a tool's grammar schema whose definitions are renamed into the tool's namespace. */
function namespaced(node: unknown, prefix: string): unknown {
  if (Array.isArray(node)) return node.map((item) => namespaced(item, prefix));
  if (!isJsonSchemaObject(node)) return node;
  const out: GrammarNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$defs") continue;
    if (key === "$ref" && typeof value === "string" && value.startsWith(DEFS_PREFIX)) {
      out.$ref = `${DEFS_PREFIX}${prefix}${value.slice(DEFS_PREFIX.length)}`;
    } else if (key === "properties" && isJsonSchemaObject(value)) {
      // Property names are data, not schemas: only their values are walked.
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, schema]) => [name, namespaced(schema, prefix)]),
      );
    } else {
      out[key] = namespaced(value, prefix);
    }
  }
  return out;
}

/**
 * The grammar schema for a turn that must call tools: `{ "name": <tool>, "arguments": {…} }`,
 * one branch per tool so each name is tied to its own arguments, or an array of those.
 * Each tool's `$defs` move to the root under `<modelName>__<def>`, so tools cannot collide.
 */
export function buildToolCallSchema(
  tools: readonly CallSchemaTool[],
  options: ToolCallSchemaOptions = {},
): GbnfJsonSchema {
  if (tools.length === 0) {
    throw new Error("A tool-call grammar needs at least one tool; none were given.");
  }
  const defs: Record<string, unknown> = {};
  const branches = tools.map((tool) => {
    const prefix = `${tool.modelName}__`;
    const root = tool.grammarSchema as GrammarNode;
    if (isJsonSchemaObject(root.$defs)) {
      for (const [name, def] of Object.entries(root.$defs)) {
        defs[`${prefix}${name}`] = namespaced(def, prefix);
      }
    }
    return {
      type: "object",
      properties: {
        name: { const: tool.modelName },
        arguments: namespaced(root, prefix),
      },
    };
  });
  const oneCall: GrammarNode = branches.length === 1 ? branches[0] : { oneOf: branches };
  let schema: GrammarNode = oneCall;
  if (options.parallel) {
    schema = { type: "array", items: oneCall, minItems: 1 };
    if (options.maxCalls !== undefined) {
      if (!Number.isInteger(options.maxCalls) || options.maxCalls < 1) {
        throw new Error(`maxCalls must be a positive integer; got ${options.maxCalls}.`);
      }
      schema.maxItems = options.maxCalls;
    }
  }
  if (Object.keys(defs).length > 0) schema = { ...schema, $defs: defs };
  return schema as GbnfJsonSchema;
}
