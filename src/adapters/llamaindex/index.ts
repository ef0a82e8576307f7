export { HearthEmbedding } from "./embedding.js";
export { type HearthChatOptions, HearthLLM, type HearthLLMOptions } from "./llm.js";
export { toLangChainMessages, toToolDefinition } from "./messages.js";
