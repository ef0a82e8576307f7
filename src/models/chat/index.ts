export {
  ChatNodeLlamaCpp,
  type PromptDecoding,
  type QueueStats,
  type RenderedPrompt,
  type TokenMeterTotals,
} from "./chat-model.js";
export { ContextOverflowError } from "./context-fit.js";
export { DeterministicLruCache } from "./deterministic-cache.js";
export { messagesToChatHistory } from "./history.js";
export type {
  ChatNodeLlamaCppCallOptions,
  ChatNodeLlamaCppInput,
  ThinkingOption,
  ToolChoiceOption,
} from "./options.js";
export { OutputBudgetError } from "./output-budget.js";
export { QueueFullError, type SequencePool } from "./sequence-pool.js";
