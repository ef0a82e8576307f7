import { LlamaChat } from "node-llama-cpp";
import { closeJson, type JsonGrammar, type JsonSchema, minimalJson } from "../../tools/index.js";
import type { PrefixOutcome } from "../snapshots/index.js";
import type { CallPlan } from "./call-plan.js";
import { ClosableOutputGate } from "./closable-output-gate.js";
import { fitPrompt } from "./context-fit.js";
import {
  type JumpForwardResult,
  JumpForwardUnavailableError,
  jumpForwardToolCall,
  minimalCallTokens,
} from "./jump-forward.js";
import { NativeCallTextHold } from "./native-call-hold.js";
import type { SamplingOptions, ThinkingOption } from "./options.js";
import { OutputBudgetError } from "./output-budget.js";
import { callChatWrapper } from "./render-prompt.js";
import type { ChatRuntime } from "./runtime.js";
import { ModelSamplingError, takeSamplingError } from "./sampling-guard.js";

/** Sampling settings of one call: the call's options over the model's, with Hearth's defaults. */
export interface ResolvedSampling {
  temperature: number;
  topK?: number;
  topP?: number;
  seed?: number;
  maxTokens: number;
  thinking: ThinkingOption;
  stop?: string[];
}

export function resolveSampling(
  call: SamplingOptions & { stop?: string[] },
  model: SamplingOptions & { stop?: string[] },
): ResolvedSampling {
  return {
    temperature: call.temperature ?? model.temperature ?? 0,
    topK: call.topK ?? model.topK,
    topP: call.topP ?? model.topP,
    seed: call.seed ?? model.seed,
    maxTokens: call.maxTokens ?? model.maxTokens ?? 1024,
    thinking: call.thinking ?? model.thinking ?? "off",
    stop: call.stop ?? model.stop,
  };
}

/**
 * What one call produced, whichever decoder produced it (LlamaChat or jump-forward): the raw
 * text and native function calls, with the token counts and timings it cost.
 */
export interface Generation {
  text: string;
  /** Text of thought segments (thinking models), apart from the response. */
  thoughts: string;
  /** Calls the model made through node-llama-cpp's function calling (tool_choice "auto"). */
  functionCalls: Array<{ functionName: string; params: unknown }>;
  /** "maxTokens" whenever the budget ended the output, closed or not; never a made-up "eogToken". */
  stopReason: string;
  /** A forced call or structured output reached `maxTokens` and was closed there within its schema. */
  closedAtBudget: boolean;
  decoding: "jump-forward" | "llama-chat";
  /** Index of the context sequence that ran the call. */
  sequence: number;
  /** How its system + tools prefix got into the sequence (undefined: prefix snapshots off). */
  prefix?: PrefixOutcome;
  promptTokens: number;
  /** Prompt tokens evaluated (the rest came from the sequence's cached prefix). */
  evaluatedPromptTokens: number;
  /** Output tokens: sampled + fed. */
  outputTokens: number;
  /** Tokens the model sampled. */
  sampledTokens: number;
  /** Output tokens Hearth wrote itself: a forced call's fixed JSON and envelope, closing text. */
  fedTokens: number;
  /** Which renderer the prompt came from (see template-choice.ts). */
  promptFormat: string;
  timings: { queueMs: number; firstTokenMs?: number; totalMs: number };
}

/** Counters across every call of one chat model; benchmarks read them. */
export interface TokenMeterTotals {
  calls: number;
  /** Prompt tokens of all calls (what a stateless server would evaluate). */
  promptTokens: number;
  /** Prompt tokens actually evaluated (the rest came from the KV cache of a matching prefix). */
  evaluatedPromptTokens: number;
  outputTokens: number;
}

export function addToMeter(totals: TokenMeterTotals, generation: Generation): void {
  totals.calls++;
  totals.promptTokens += generation.promptTokens;
  totals.evaluatedPromptTokens += generation.evaluatedPromptTokens;
  totals.outputTokens += generation.outputTokens;
}

/** Room for the text that closes a grammar's JSON from wherever generation stops (see closeJson). */
const CLOSING_MARGIN = 4;

/** A response for a call whose budget holds only the smallest valid output: nothing sampled. */
function notSampled(): {
  response: string;
  fullResponse: [];
  functionCalls: undefined;
  metadata: { stopReason: "maxTokens" };
} {
  return {
    response: "",
    fullResponse: [],
    functionCalls: undefined,
    metadata: { stopReason: "maxTokens" },
  };
}

/** Output tokens of the smallest JSON a grammar accepts: the least maxTokens can be. */
function minimalOutputTokens(runtime: ChatRuntime, grammar: JsonGrammar): number {
  const shortest = minimalJson(grammar.schema as JsonSchema);
  return runtime.model.tokenize(shortest, false, "trimLeadingSpace").length;
}

function thinkingBudget(thinking: ThinkingOption): number | undefined {
  if (thinking === "off") return 0;
  if (thinking === "on") return undefined;
  return thinking.budget;
}

/**
 * Runs one planned call on a sequence borrowed from the pool (the one holding the longest
 * matching prefix): jump-forward for a forced single call where it applies, else LlamaChat.
 * `onText` gets the response text as it is generated; `onCallText` the JSON of forced calls.
 */
export async function generate(
  runtime: ChatRuntime,
  plan: CallPlan,
  sampling: ResolvedSampling,
  signal: AbortSignal | undefined,
  onText?: (text: string) => void,
  onCallText?: (text: string) => void,
): Promise<Generation> {
  signal?.throwIfAborted();
  const chatWrapper = callChatWrapper(runtime, plan, sampling.thinking);
  // Checked before a sequence is taken: an overflow fails at once and holds nothing.
  const fit = fitPrompt({
    model: runtime.model,
    chatWrapper,
    history: plan.history,
    functions: plan.functions,
    contextSize: runtime.contextSize,
    maxTokens: sampling.maxTokens,
  });
  // A forced call or structured output is always complete JSON: a budget that cannot hold the
  // shortest one is refused here, before a sequence is taken or anything sampled.
  const grammar = plan.callGrammar ?? plan.outputGrammar;
  const minimum = plan.jumpForward
    ? minimalCallTokens({
        model: runtime.model,
        chatWrapper,
        tools: plan.tools!,
        toolNames: plan.jumpForward.toolNames,
      })
    : grammar
      ? minimalOutputTokens(runtime, grammar)
      : 0;
  if (minimum > sampling.maxTokens) {
    const what = plan.callGrammar ? "a forced tool call" : "the structured output";
    throw new OutputBudgetError(sampling.maxTokens, minimum, what);
  }
  const queuedAt = performance.now();
  const lease = await runtime.pool.acquire(plan.fingerprint, signal);
  const startedAt = performance.now();
  const sequence = lease.sequence;
  const meterBefore = sequence.tokenMeter.getState();
  let released = false;
  const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
  let prefix: Generation["prefix"];
  let firstTokenAt: number | undefined;
  try {
    runtime.threads?.recheck();
    prefix = await runtime.prefixes?.prepare(sequence, runtime.pool.all, {
      history: plan.history,
      functions: plan.functions ?? plan.tools?.functions,
      chatWrapper: runtime.chatWrapper,
    });
    let jumped: JumpForwardResult | undefined;
    if (plan.jumpForward && plan.tools) {
      try {
        jumped = await jumpForwardToolCall({
          llama: runtime.llama,
          model: runtime.model,
          sequence,
          chatWrapper,
          history: plan.history,
          tools: plan.tools,
          toolNames: plan.jumpForward.toolNames,
          maxTokens: sampling.maxTokens,
          temperature: sampling.temperature,
          topK: sampling.topK,
          topP: sampling.topP,
          seed: sampling.seed,
          signal,
          onText: onCallText,
        });
      } catch (error) {
        if (!(error instanceof JumpForwardUnavailableError)) throw error;
      }
    }
    let generation: Omit<Generation, "sequence" | "timings">;
    if (jumped) {
      // A jump-forward call feeds its fixed text as input: those tokens are output of the call.
      generation = {
        text: jumped.text,
        thoughts: "",
        functionCalls: [],
        stopReason: jumped.stopReason,
        closedAtBudget: jumped.stopReason === "maxTokens",
        decoding: "jump-forward",
        promptTokens: jumped.promptTokens,
        evaluatedPromptTokens: jumped.promptTokensEvaluated,
        outputTokens: jumped.sampledTokens + jumped.forcedTokens,
        sampledTokens: jumped.sampledTokens,
        fedTokens: jumped.forcedTokens,
        promptFormat: runtime.promptFormat,
      };
    } else {
      // Under "auto" the text may hold a native call read after generation: held back from it.
      const hold = plan.functions ? new NativeCallTextHold() : undefined;
      // Grammar output is let out only as far as its exact closing still fits (see the gate).
      const hint = plan.callGrammar ? undefined : plan.outputJsonSchema;
      const closeAt = (written: string) => closeJson(written, grammar!.schema as JsonSchema, hint);
      const countTokens = (text: string) =>
        runtime.model.tokenize(text, false, "trimLeadingSpace").length;
      const gate = grammar
        ? new ClosableOutputGate({
            maxTokens: sampling.maxTokens,
            closingTokens: (written) => countTokens(closeAt(written).completion),
            emit: (text) => (plan.callGrammar ? onCallText?.(text) : onText?.(text)),
          })
        : undefined;
      const common = {
        signal,
        // Never more than the context has room for: node-llama-cpp would shift the context
        // (drop the start of the conversation) to go on; stopping says "maxTokens" instead.
        maxTokens: fit.maxTokens,
        temperature: sampling.temperature,
        topK: sampling.topK,
        topP: sampling.topP,
        seed: sampling.seed,
        customStopTriggers: sampling.stop && sampling.stop.length > 0 ? sampling.stop : undefined,
        budgets: { thoughtTokens: thinkingBudget(sampling.thinking) },
        onTextChunk: (text: string) => {
          firstTokenAt ??= performance.now();
          if (gate) gate.onTextChunk(text);
          else if (!hold) onText?.(text);
          else {
            const sendable = hold.push(text);
            if (sendable) onText?.(sendable);
          }
        },
      };
      // A grammar-constrained output keeps back the tokens that close it within its schema.
      const closingBudget = grammar
        ? Math.min(fit.maxTokens, sampling.maxTokens) -
          minimalOutputTokens(runtime, grammar) -
          CLOSING_MARGIN
        : 0;
      const response = grammar
        ? closingBudget < 1
          ? // No room to sample a token and still close: the smallest valid output, fed.
            notSampled()
          : await chat.generateResponse(plan.history, {
              ...common,
              maxTokens: closingBudget,
              grammar,
              onToken: (tokens) => gate?.onToken(tokens),
            })
        : await chat.generateResponse(plan.history, {
            ...common,
            functions: plan.functions,
            documentFunctionParams: plan.functions ? true : undefined,
            maxParallelFunctionCalls: plan.functions ? plan.maxParallelCalls : undefined,
          });
      const used = sequence.tokenMeter.diff(meterBefore);
      // node-llama-cpp meters as "output" every token evaluated for its logits: the prompt's
      // last token, then each sampled token fed back; the last sampled token is never fed back.
      // So the output count is the number of tokens sampled, and the prompt's last token is
      // evaluated but not in the input count. (Reading the prompt's length back from the
      // sequence as nextTokenIndex - sampled came out one short for that reason.)
      let sampledTokens = used.usedOutputTokens;
      const evaluatedPromptTokens = Math.min(
        fit.promptTokens,
        used.usedInputTokens + (sampledTokens > 0 ? 1 : 0),
      );
      let text = response.response;
      let fedTokens = 0;
      let closedAtBudget = false;
      if (gate && response.metadata.stopReason === "maxTokens") {
        // Cut off inside the JSON: closed at the budget within its schema (see closeJson), from
        // the longest part whose closing fits (sampled tokens past it are not output).
        const kept = gate.kept;
        if (!kept.whole) sampledTokens = kept.tokens;
        const closed = closeAt(kept.whole ? text : kept.text);
        text = closed.text;
        fedTokens = countTokens(closed.completion);
        closedAtBudget = closed.completion !== "" || !kept.whole;
      }
      gate?.finish(text);
      generation = {
        text,
        thoughts: response.fullResponse
          .filter(
            (item) =>
              typeof item === "object" && item.type === "segment" && item.segmentType === "thought",
          )
          .map((item) => (item as { text: string }).text)
          .join(""),
        functionCalls: (response.functionCalls ?? []) as Generation["functionCalls"],
        stopReason: response.metadata.stopReason,
        closedAtBudget,
        decoding: "llama-chat",
        // The prompt as the wrapper rendered it for LlamaChat (see fitPrompt).
        promptTokens: fit.promptTokens,
        evaluatedPromptTokens,
        outputTokens: sampledTokens + fedTokens,
        sampledTokens,
        fedTokens,
        promptFormat: runtime.promptFormat,
      };
    }
    const finishedAt = performance.now();
    runtime.pool.release(lease, plan.fingerprint);
    released = true;
    return {
      ...generation,
      sequence: lease.index,
      prefix,
      timings: {
        queueMs: startedAt - queuedAt,
        firstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - startedAt,
        totalMs: finishedAt - startedAt,
      },
    };
  } catch (error) {
    const native = takeSamplingError(runtime.context);
    throw native ? new ModelSamplingError(runtime.modelFile, native) : error;
  } finally {
    chat.dispose({ disposeSequence: false });
    if (!released) runtime.pool.release(lease, undefined);
  }
}
