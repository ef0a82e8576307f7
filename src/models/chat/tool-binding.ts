import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import type { ChatModelFunctions, GbnfJsonSchema } from "node-llama-cpp";

export interface BoundTools {
  functions: ChatModelFunctions;
  /** Stable text identifying the documented tool set (part of the prefix fingerprint). */
  key: string;
  toModelName(name: string): string;
  fromModelName(modelName: string): string;
  /** Grammar schema for exactly one call `{ name, arguments }` to one of `names` (all when omitted). */
  callSchema(names?: string[]): GbnfJsonSchema;
  hasTool(name: string): boolean;
}

const cache = new WeakMap<object, BoundTools>();

// biome-ignore lint/suspicious/noExplicitAny: LangChain tool inputs are loosely typed.
export function bindToolSet(tools: any[]): BoundTools {
  const cached = cache.get(tools);
  if (cached) return cached;
  const openAi = tools.map((tool) => convertToOpenAITool(tool));
  const functions: Record<string, ChatModelFunctions[string]> = {};
  const toModel = new Map<string, string>();
  const fromModel = new Map<string, string>();
  const schemas = new Map<string, GbnfJsonSchema>();
  for (const tool of openAi) {
    const name = tool.function.name;
    const modelName = name;
    toModel.set(name, modelName);
    fromModel.set(modelName, name);
    const params = (tool.function.parameters ?? {
      type: "object",
      properties: {},
    }) as GbnfJsonSchema;
    schemas.set(modelName, params);
    functions[modelName] = { description: tool.function.description, params };
  }
  const bound: BoundTools = {
    functions,
    key: JSON.stringify(functions),
    toModelName: (name) => toModel.get(name) ?? name,
    fromModelName: (modelName) => fromModel.get(modelName) ?? modelName,
    callSchema(names) {
      const chosen = names ? names.map((name) => toModel.get(name) ?? name) : [...schemas.keys()];
      const options = chosen.map(
        (modelName) =>
          ({
            type: "object",
            properties: { name: { const: modelName }, arguments: schemas.get(modelName)! },
          }) as GbnfJsonSchema,
      );
      return options.length === 1 ? options[0] : ({ oneOf: options } as GbnfJsonSchema);
    },
    hasTool: (name) => toModel.has(name),
  };
  cache.set(tools, bound);
  return bound;
}
