import { BaseLanguageModel } from "@langchain/core/language_models/base";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseMessage, isAIMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { contentText } from "./messages.js";

/** Counts the tokens of a list of messages as the model would see them (approximately for the framing). */
export type MessageTokenCounter = (messages: BaseMessage[]) => Promise<number>;

export interface TokenCounterChoice {
  count: MessageTokenCounter;
  /** "model" when the model's own tokenizer counts; "approximate" otherwise. */
  kind: "model" | "approximate";
}

// Role markers and separators that chat templates add around every message.
const PER_MESSAGE_OVERHEAD = 4;
// Characters per token for the fallback. Errs high on purpose: byte-level and small vocabularies
// split text finer than English BPE's ~4 characters per token, and overshooting the real count
// only trims a little early, while undershooting overflows the context.
const APPROX_CHARS_PER_TOKEN = 3;
const CACHE_LIMIT = 1024;

export function messageText(message: BaseMessage): string {
  const text = contentText(message);
  const calls = isAIMessage(message) && message.tool_calls?.length ? message.tool_calls : undefined;
  return calls
    ? `${text}${JSON.stringify(calls.map((c) => ({ name: c.name, args: c.args })))}`
    : text;
}

export function approximateTokens(text: string): number {
  return Math.ceil(text.length / APPROX_CHARS_PER_TOKEN);
}

/**
 * Picks the model's tokenizer when the model has one of its own, else an approximate count.
 * LangChain's base `getNumTokens` is not used as a tokenizer: it downloads a GPT BPE table from
 * the internet (unavailable offline, and the wrong tokenizer for a local model anyway), then falls
 * back to characters / 4 with a warning.
 */
export function chooseTokenCounter(model: BaseChatModel): TokenCounterChoice {
  const ownTokenizer = model.getNumTokens !== BaseLanguageModel.prototype.getNumTokens;
  const countText = ownTokenizer
    ? (text: string) => model.getNumTokens(text)
    : async (text: string) => approximateTokens(text);
  const cache = new Map<string, number>();
  const cachedCount = async (text: string): Promise<number> => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const tokens = await countText(text);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(text, tokens);
    return tokens;
  };
  return {
    kind: ownTokenizer ? "model" : "approximate",
    count: async (messages) => {
      let total = 0;
      for (const message of messages) {
        total += PER_MESSAGE_OVERHEAD + (await cachedCount(messageText(message)));
      }
      return total;
    },
  };
}

/** A tool as chat templates render it into the prompt, for counting its tokens. */
export function toolDefinitionText(tool: StructuredToolInterface): string {
  return JSON.stringify({
    name: tool.name,
    description: tool.description,
    parameters: toJsonSchema(tool.schema),
  });
}
