import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

/**
 * Call options that turn thinking off for the graph's short structured steps (routing, tool
 * calls, validation). Only models known to take such an option get one: other providers may
 * reject unknown options, and models without a thinking mode need nothing.
 */
export function routingCallOptions(model: BaseChatModel): Record<string, unknown> {
  const type = model._llmType();
  // ChatNodeLlamaCpp's `thinking` call option: "off" | "on" | { budget }.
  if (type === "node-llama-cpp") return { thinking: "off" };
  return {};
}
