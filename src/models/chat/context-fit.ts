import type { ChatHistoryItem, ChatModelFunctions, ChatWrapper, LlamaModel } from "node-llama-cpp";
import { MAX_CONTEXT_SIZE } from "../context/index.js";
import { renderContext } from "./render-prompt.js";

/**
 * A prompt that does not fit the context. node-llama-cpp would otherwise shift the context: drop
 * or cut parts of the conversation to make room, without telling the caller (a 3,000-word
 * question in a 512-token context came back as a normal answer with nothing evaluated from it).
 */
export class ContextOverflowError extends RangeError {
  override readonly name = "ContextOverflowError";
  constructor(
    readonly promptTokens: number,
    readonly contextSize: number,
    readonly replyTokens: number,
  ) {
    super(
      `The prompt is ${promptTokens} tokens, but the context holds ${contextSize} tokens per ` +
        `sequence and ${replyTokens} of them are kept for the reply. ` +
        (contextSize < MAX_CONTEXT_SIZE
          ? `Raise contextSize (up to ${MAX_CONTEXT_SIZE}) or send less: fewer or shorter messages, fewer tools.`
          : "Send less: fewer or shorter messages, fewer tools."),
    );
  }
}

/** Tokens kept free for the reply: the call's maxTokens, but never more than an eighth of the context. */
export function replyReserve(contextSize: number, maxTokens: number): number {
  return Math.max(1, Math.min(maxTokens, Math.floor(contextSize / 8)));
}

/**
 * Tokens the prompt takes as the chat wrapper renders it (the text LlamaChat evaluates), and the
 * most tokens the reply may then use without the context shifting. Throws ContextOverflowError
 * when the prompt leaves less than `replyReserve` free.
 */
export function fitPrompt(options: {
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  history: ChatHistoryItem[];
  functions?: ChatModelFunctions;
  contextSize: number;
  maxTokens: number;
}): { promptTokens: number; maxTokens: number } {
  const promptTokens = renderContext(
    options.chatWrapper,
    options.history,
    options.functions,
  ).tokenize(options.model.tokenizer).length;
  const reserve = replyReserve(options.contextSize, options.maxTokens);
  if (promptTokens + reserve > options.contextSize) {
    throw new ContextOverflowError(promptTokens, options.contextSize, reserve);
  }
  return {
    promptTokens,
    maxTokens: Math.min(options.maxTokens, options.contextSize - promptTokens),
  };
}
