import type { ChatHistoryItem, ChatModelFunctions, ChatWrapper, LlamaText } from "node-llama-cpp";
import type { CallPlan } from "./call-plan.js";
import { ModelTemplateChatWrapper } from "./model-template-wrapper.js";
import type { ThinkingOption } from "./options.js";
import type { ChatRuntime } from "./runtime.js";
import { documentOnlyWrapper } from "./wrapper-modes.js";

/** How a call's output is decoded after its prompt (see generate.ts). */
export type PromptDecoding = "jump-forward" | "grammar" | "llama-chat";

/**
 * The exact prompt one call evaluates before its first sampled token.
 *
 * For a forced call decoded jump-forward, the prompt ends where the chat template opens the
 * model's turn (`<|im_start|>assistant\n`): the call's envelope and fixed JSON (`<tool_call>\n`,
 * `{"name": `…) are output of the call — Hearth writes them instead of sampling them, and which
 * of them follow depends on the tool the model picks — so they belong to the call's output, as
 * in the token counts generate() reports (`fedTokens`).
 */
export interface RenderedPrompt {
  tokens: number[];
  /** The prompt as text, special tokens written as their text (`<|im_start|>`). */
  text: string;
  decoding: PromptDecoding;
}

/** The wrapper a call renders with: the template's thinking switch, tools documented only when the output is constrained. */
export function callChatWrapper(
  runtime: Pick<ChatRuntime, "chatWrapper">,
  plan: CallPlan,
  thinking: ThinkingOption,
): ChatWrapper {
  // The template's own thinking switch (Qwen3's enable_thinking) follows the call's setting.
  const base =
    runtime.chatWrapper instanceof ModelTemplateChatWrapper
      ? runtime.chatWrapper.withThinking(thinking !== "off")
      : runtime.chatWrapper;
  return plan.documentOnly ? documentOnlyWrapper(base, plan.tools?.functions) : base;
}

function withOpenResponse(history: ChatHistoryItem[]): ChatHistoryItem[] {
  const last = history.at(-1);
  if (last?.type === "model") return history;
  return [...history, { type: "model", response: [] }];
}

/**
 * The context text up to where the model's response starts, rendered as node-llama-cpp's
 * LlamaChat renders it before generating (an open model turn; with `functions`, their docs
 * with parameters, as generate() asks LlamaChat for). Jump-forward evaluates this text itself.
 */
export function renderContext(
  chatWrapper: ChatWrapper,
  history: ChatHistoryItem[],
  functions?: ChatModelFunctions,
): LlamaText {
  return chatWrapper.generateContextState({
    chatHistory: withOpenResponse(history),
    availableFunctions: functions,
    documentFunctionParams: functions ? true : undefined,
  }).contextText;
}

/** The planned call's prompt, as generate() will evaluate it. */
export function renderCallPrompt(
  runtime: Pick<ChatRuntime, "chatWrapper" | "model" | "contextSize">,
  plan: CallPlan,
  sampling: { thinking: ThinkingOption; maxTokens: number },
): RenderedPrompt {
  const chatWrapper = callChatWrapper(runtime, plan, sampling.thinking);
  // LlamaChat gets the functions only without a grammar (see generate()); a documentOnly
  // wrapper renders the docs itself.
  const grammar = plan.callGrammar ?? plan.outputGrammar;
  const functions = grammar ? undefined : plan.functions;
  const tokens = renderContext(chatWrapper, plan.history, functions).tokenize(
    runtime.model.tokenizer,
  );
  // Jump-forward hands a call whose prompt and budget overrun the context to LlamaChat (see
  // JumpForwardUnavailableError), which then decodes it under the call's grammar.
  const jumps =
    plan.jumpForward !== undefined &&
    plan.tools !== undefined &&
    tokens.length + sampling.maxTokens <= runtime.contextSize;
  const decoding: PromptDecoding = jumps ? "jump-forward" : grammar ? "grammar" : "llama-chat";
  return {
    tokens: [...tokens],
    text: runtime.model.detokenize(tokens, true),
    decoding,
  };
}
