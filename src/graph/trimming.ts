import {
  type BaseMessage,
  HumanMessage,
  isHumanMessage,
  trimMessages,
} from "@langchain/core/messages";
import {
  ContextSizeError,
  checkContextSize,
  MAX_CONTEXT_SIZE,
  MIN_CONTEXT_SIZE,
} from "../models/context/index.js";
import type { QuestionCut } from "./state.js";
import type { MessageTokenCounter } from "./tokens.js";

// After an overflow the history is cut to this share of the budget rather than to the budget
// itself, so the next turns fit without moving the start again (a moved start changes the prompt
// prefix, and the model must re-evaluate everything after the system message).
const LOW_WATER_SHARE = 0.75;

// Below this the conversation itself has no room: every question would be cut or refused.
const MIN_CONVERSATION_TOKENS = 128;

const graphReplyReserve = (contextSize: number) => Math.max(256, Math.floor(contextSize / 8));

/** The smallest power-of-two context from Hearth's range that leaves the conversation room. */
function suggestedContextSize(fixedTokens: number): number | undefined {
  for (let size = MIN_CONTEXT_SIZE; size <= MAX_CONTEXT_SIZE; size *= 2) {
    if (size - graphReplyReserve(size) - fixedTokens >= MIN_CONVERSATION_TOKENS) return size;
  }
  return undefined;
}

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
  const replyReserve = graphReplyReserve(contextSize);
  const promptTokens = contextSize - replyReserve - fixedTokens;
  if (promptTokens < MIN_CONVERSATION_TOKENS) {
    const enough = suggestedContextSize(fixedTokens);
    throw new ContextSizeError(
      `The tool definitions take about ${fixedTokens} tokens and ${replyReserve} are kept for the reply, so a ${contextSize}-token context leaves ${Math.max(0, promptTokens)} for the conversation (at least ${MIN_CONVERSATION_TOKENS} are needed). ` +
        (enough
          ? `Use contextSize ${enough} or more, or bind fewer tools.`
          : `Bind fewer tools or shorten their descriptions: even ${MAX_CONTEXT_SIZE} tokens is not enough.`),
    );
  }
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
  /** Set when the latest question alone did not fit and was cut (visibly) for the model. */
  questionCut?: QuestionCut;
}

// The model is told where and why the question was cut, so it does not answer a fragment as if
// it were the whole question.
const cutMarker = (removed: number, contextSize: number) =>
  `\n\n[… ${removed} characters of this message were cut here to fit the model's ${contextSize}-token context …]\n\n`;

/**
 * The question, cut to its start and end so that the prompt fits `room` tokens, or undefined when
 * even a short cut would not fit. The original message is left as it is (the thread keeps it whole).
 */
async function cutQuestion(
  question: BaseMessage,
  fits: (candidate: BaseMessage) => Promise<boolean>,
  contextSize: number,
): Promise<BaseMessage | undefined> {
  const text = typeof question.content === "string" ? question.content : undefined;
  if (text === undefined) return undefined;
  let keep = Math.floor(text.length / 2);
  while (keep >= 16) {
    const head = text.slice(0, Math.ceil(keep / 2));
    const tail = text.slice(text.length - Math.floor(keep / 2));
    const candidate = new HumanMessage({
      id: question.id,
      content: head + cutMarker(text.length - keep, contextSize) + tail,
    });
    if (await fits(candidate)) return candidate;
    keep = Math.floor(keep * 0.7);
  }
  return undefined;
}

/**
 * The part of the conversation sent to the model: from the stored start onwards, unless that
 * overflows the budget, in which case older turns are dropped with LangChain's `trimMessages`
 * (whole turns: the window starts on a human message, so no tool result loses its call). The
 * system message and the latest turn are always kept; when they alone exceed the budget, the
 * latest question is sent cut to its start and end with a marker saying so (`questionCut`).
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
  const latest = latestStart > 0 ? history.slice(latestStart) : [...history];
  let fixed = await count([system, ...latest]);
  let questionCut: QuestionCut | undefined;
  if (fixed > budget.promptTokens && latest[0] && isHumanMessage(latest[0])) {
    const rest = latest.slice(1);
    const cut = await cutQuestion(
      latest[0],
      async (candidate) => (await count([system, candidate, ...rest])) <= budget.promptTokens,
      budget.contextSize,
    );
    if (cut) {
      questionCut = {
        fromTokens: await count([latest[0]]),
        toTokens: await count([cut]),
        contextSize: budget.contextSize,
      };
      latest.splice(0, 1, cut);
      fixed = await count([system, ...latest]);
    }
  }
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
    ...(questionCut ? { questionCut } : {}),
  };
}

function findLastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (predicate(items[i])) return i;
  return -1;
}
