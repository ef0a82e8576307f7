import { type BaseMessage, isHumanMessage, trimMessages } from "@langchain/core/messages";
import { checkContextSize } from "../models/context/index.js";
import type { MessageTokenCounter } from "./tokens.js";

// After an overflow the history is cut to this share of the budget rather than to the budget
// itself, so the next turns fit without moving the start again (a moved start changes the prompt
// prefix, and the model must re-evaluate everything after the system message).
const LOW_WATER_SHARE = 0.75;

export interface ContextBudget {
  contextSize: number;
  /** Tokens the prompt (system + history + step note) may use; the rest is left for the reply. */
  promptTokens: number;
  /** Where an overflowing history is cut back to. */
  lowWaterTokens: number;
}

/**
 * @param fixedTokens tokens the prompt always carries besides messages (e.g. tool definitions the
 * chat template renders into the system block).
 */
export function contextBudget(size?: number, fixedTokens = 0): ContextBudget {
  const contextSize = checkContextSize(size);
  const replyReserve = Math.max(256, Math.floor(contextSize / 8));
  const promptTokens = Math.max(128, contextSize - replyReserve - fixedTokens);
  return {
    contextSize,
    promptTokens,
    lowWaterTokens: Math.floor(promptTokens * LOW_WATER_SHARE),
  };
}

export interface HistoryWindow {
  messages: BaseMessage[];
  /** Id of the first message in the window, to keep in state. */
  startId: string | null;
  /** Tokens of system + window, as counted. */
  tokens: number;
  trimmed: boolean;
}

/**
 * The part of the conversation sent to the model: from the stored start onwards, unless that
 * overflows the budget, in which case older turns are dropped with LangChain's `trimMessages`
 * (whole turns: the window starts on a human message, so no tool result loses its call). The
 * system message and the latest turn are always kept, even if they alone exceed the budget.
 */
export async function selectHistory(options: {
  system: BaseMessage;
  messages: BaseMessage[];
  startId: string | null;
  budget: ContextBudget;
  count: MessageTokenCounter;
}): Promise<HistoryWindow> {
  const { system, messages, budget, count } = options;
  const startIndex = options.startId ? messages.findIndex((m) => m.id === options.startId) : -1;
  const history = startIndex > 0 ? messages.slice(startIndex) : messages;
  const tokens = await count([system, ...history]);
  if (tokens <= budget.promptTokens) {
    return { messages: history, startId: history[0]?.id ?? null, tokens, trimmed: false };
  }
  const latestStart = findLastIndex(history, isHumanMessage);
  const earlier = latestStart > 0 ? history.slice(0, latestStart) : [];
  const latest = latestStart > 0 ? history.slice(latestStart) : history;
  const fixed = await count([system, ...latest]);
  const room = budget.lowWaterTokens - fixed;
  const kept =
    room > 0 && earlier.length > 0
      ? await trimMessages(earlier, {
          maxTokens: room,
          strategy: "last",
          startOn: "human",
          tokenCounter: count,
        })
      : [];
  // trimMessages returns copies; hand back the originals so ids and classes are untouched.
  const window = [...earlier.slice(earlier.length - kept.length), ...latest];
  return {
    messages: window,
    startId: window[0]?.id ?? null,
    tokens: await count([system, ...window]),
    trimmed: true,
  };
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (predicate(items[i])) return i;
  return -1;
}
