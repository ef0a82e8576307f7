import type { ChatModelFunctions } from "node-llama-cpp";
import { getOrCreate } from "../../util/get-or-create.js";
import { ToolDefinitionError } from "../schema/errors.js";
import type { GbnfJsonSchema, JsonSchema } from "../schema/types.js";
import { buildToolCallSchema, type ToolCallSchemaOptions } from "./call-schema.js";
import { type CompiledToolSchema, compileTool } from "./compile-tool.js";
import type { ToolLike } from "./tool-input.js";
import { assignModelNames, duplicateToolName } from "./tool-names.js";
import type { ValidationResult } from "./validate.js";

export interface CompiledTool extends CompiledToolSchema {
  /** The name the model writes (see assignModelNames); map back with `toolNameFromModel`. */
  readonly modelName: string;
}

/** A call the model produced, mapped back to the caller's tool and checked. */
export interface ResolvedToolCall {
  /** The caller's tool name (the model's name when it matches no tool). */
  name: string;
  modelName: string;
  tool: CompiledTool | undefined;
  /** The arguments with grammar placeholders removed; pass these to the tool. */
  args: unknown;
  validation: ValidationResult;
}

export interface CompiledToolSet {
  readonly tools: readonly CompiledTool[];
  /** By the caller's tool name. */
  get(name: string): CompiledTool | undefined;
  toolNameFromModel(modelName: string): string | undefined;
  modelNameFromTool(name: string): string | undefined;
  /** For node-llama-cpp's native function calling (`LlamaChat.generateResponse({ functions })`). */
  readonly functions: ChatModelFunctions;
  /** Exactly one call to one of the tools: `{ "name": …, "arguments": … }`. */
  readonly callSchema: GbnfJsonSchema;
  /** One or more calls: `[{ "name": …, "arguments": … }, …]`. */
  readonly parallelCallSchema: GbnfJsonSchema;
  /** A call schema over some of the tools (e.g. `tool_choice: "<name>"`) or with a call limit. */
  callSchemaFor(
    options?: ToolCallSchemaOptions & { toolNames?: readonly string[] },
  ): GbnfJsonSchema;
  /** Maps one model call back to its tool, removes placeholders and validates. */
  resolveCall(modelName: string, args: unknown): ResolvedToolCall;
  /** Resolves what a call grammar parsed to: one `{ name, arguments }` or an array of them. */
  parseCalls(output: unknown): ResolvedToolCall[];
}

interface CacheNode {
  next: WeakMap<object, CacheNode>;
  set?: CompiledToolSet;
}

const setCache: CacheNode = { next: new WeakMap() };

/**
 * Compiles tools for grammar-constrained calling: per tool its model-safe name, JSON Schema,
 * grammar schema and validator, plus call schemas over the whole set. Cached by the identities
 * of the tools in order, so `bindTools([a, b])` on every request compiles once.
 */
// The caller's JSON Schema behind each function node-llama-cpp gets: `params` is the grammar's
// normalised schema (what generation follows), while prompts document the caller's own.
const documented = new WeakMap<object, JsonSchema>();

/** The caller's JSON Schema for a function of `CompiledToolSet.functions`, for documenting it. */
export function documentedParams(fn: object): JsonSchema | undefined {
  return documented.get(fn);
}

export function compileTools(tools: readonly ToolLike[]): CompiledToolSet {
  if (!Array.isArray(tools)) {
    throw new ToolDefinitionError("compileTools expects an array of tools.");
  }
  let node = setCache;
  for (const tool of tools) {
    if (typeof tool !== "object" || tool === null) {
      node = { next: new WeakMap() };
      break;
    }
    node = getOrCreate(node.next, tool, () => ({ next: new WeakMap() }));
  }
  node.set ??= buildSet(tools);
  return node.set;
}

function buildSet(tools: readonly ToolLike[]): CompiledToolSet {
  const schemas = tools.map((tool, index) => compileTool(tool, index));
  const duplicate = duplicateToolName(schemas.map((schema) => schema.name));
  if (duplicate !== undefined) {
    throw new ToolDefinitionError(`two tools are named "${duplicate}".`, {
      toolName: duplicate,
      fix: "Tool names must be unique among the tools bound to one model.",
    });
  }
  const modelNames = assignModelNames(schemas.map((schema) => schema.name));
  const compiled: CompiledTool[] = schemas.map((schema, index) =>
    Object.freeze({ ...schema, modelName: modelNames[index] }),
  );
  const byName = new Map(compiled.map((tool) => [tool.name, tool]));
  const byModelName = new Map(compiled.map((tool) => [tool.modelName, tool]));
  const schemaCache = new Map<string, GbnfJsonSchema>();

  const callSchemaFor: CompiledToolSet["callSchemaFor"] = (options = {}) => {
    const key = JSON.stringify([options.parallel ?? false, options.maxCalls, options.toolNames]);
    const cached = schemaCache.get(key);
    if (cached) return cached;
    const chosen = options.toolNames
      ? options.toolNames.map((name) => {
          const tool = byName.get(name);
          if (!tool) {
            throw new Error(
              `No tool named "${name}" is bound; bound tools: ${[...byName.keys()].join(", ")}.`,
            );
          }
          return tool;
        })
      : compiled;
    const schema = buildToolCallSchema(chosen, options);
    schemaCache.set(key, schema);
    return schema;
  };

  const resolveCall = (modelName: string, args: unknown): ResolvedToolCall => {
    const tool = byModelName.get(modelName);
    if (!tool) {
      return {
        name: modelName,
        modelName,
        tool: undefined,
        args,
        validation: {
          ok: false,
          error: `Unknown tool "${modelName}". Available tools: ${[...byModelName.keys()].join(", ")}.`,
        },
      };
    }
    const cleaned = tool.fromModel(args);
    return { name: tool.name, modelName, tool, args: cleaned, validation: tool.validate(cleaned) };
  };

  let functions: ChatModelFunctions | undefined;
  return {
    tools: compiled,
    get: (name) => byName.get(name),
    toolNameFromModel: (modelName) => byModelName.get(modelName)?.name,
    modelNameFromTool: (name) => byName.get(name)?.modelName,
    get functions() {
      functions ??= Object.fromEntries(
        compiled.map((tool) => {
          const fn = { description: tool.description, params: tool.grammarSchema };
          documented.set(fn, tool.jsonSchema);
          return [tool.modelName, fn];
        }),
      );
      return functions;
    },
    get callSchema() {
      return callSchemaFor();
    },
    get parallelCallSchema() {
      return callSchemaFor({ parallel: true });
    },
    callSchemaFor,
    resolveCall,
    parseCalls(output) {
      const calls = Array.isArray(output) ? output : [output];
      return calls.map((call) => {
        const record = (typeof call === "object" && call !== null ? call : {}) as {
          name?: unknown;
          arguments?: unknown;
        };
        return resolveCall(String(record.name), record.arguments ?? {});
      });
    },
  };
}
