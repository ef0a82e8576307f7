import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { clampContextSize, declaredContextSize } from "../models/context/index.js";

/** Extra call options per kind of model call the graph makes. */
export interface StepCallOptions {
  route: Record<string, unknown>;
  agent: Record<string, unknown>;
  validate: Record<string, unknown>;
  answer: Record<string, unknown>;
}

/**
 * Call options for the graph's steps. Only models known to take them get any: other providers
 * may reject unknown options, and a model without a thinking mode needs nothing.
 *
 * For ChatNodeLlamaCpp:
 * - thinking "off" for routing, tool calls and validation: short structured decisions, where
 *   thoughts only add tokens;
 * - a token cap on the two structured steps that holds their schema (its strings are bounded by
 *   maxLength), so a caller's small `maxTokens` cannot cut the JSON short;
 * - the tools on the structured steps too: the model then documents them in the system block
 *   exactly as for the agent's calls (the response format's grammar still decides the output),
 *   so route, agent and validate share one prompt prefix and its KV cache is evaluated once.
 */
export function stepCallOptions(
  model: BaseChatModel,
  options: { tools?: StructuredToolInterface[]; thinkingForRouting?: boolean } = {},
): StepCallOptions {
  if (model._llmType() !== "node-llama-cpp") {
    return { route: {}, agent: {}, validate: {}, answer: {} };
  }
  const thinking = options.thinkingForRouting ? {} : { thinking: "off" };
  const tools = options.tools && options.tools.length > 0 ? { tools: options.tools } : {};
  return {
    route: { ...thinking, ...tools, maxTokens: 160 },
    agent: thinking,
    validate: { ...thinking, ...tools, maxTokens: 320 },
    answer: {},
  };
}

/**
 * The context size the model says it runs with (a positive `contextSize` property, as
 * ChatNodeLlamaCpp's), moved into Hearth's range, so a graph on it trims to the same budget
 * without being told twice. A model that does not say gets the graph's default.
 */
export function modelContextSize(model: BaseChatModel): number | undefined {
  const declared = declaredContextSize(model);
  return declared === undefined ? undefined : clampContextSize(declared).size;
}

/**
 * How the route and validate steps ask for their JSON. ChatNodeLlamaCpp enforces any schema by
 * grammar whatever the method. An OpenAI-compatible model (`ChatOpenAI` against OpenAI, vLLM,
 * llama-server, Ollama or `hearth serve`) is asked for `response_format: json_schema` with
 * `strict`, which those engines enforce by guided decoding, rather than a bound tool the model
 * may or may not call; set explicitly so a change of LangChain's default cannot move it.
 * Other models keep LangChain's default.
 */
export function structuredOutputOptions(model: BaseChatModel): Record<string, unknown> {
  return model._llmType() === "openai" ? { method: "jsonSchema", strict: true } : {};
}
