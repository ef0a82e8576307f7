import { randomUUID } from "node:crypto";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from "@langchain/core/language_models/base";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import type { InteropZodType } from "@langchain/core/utils/types";
import type { LlamaModel } from "node-llama-cpp";
import { compileTools } from "../../tools/index.js";
import { checkContextSize } from "../context/index.js";
import { type CallPlan, planCall, toolSetKey } from "./call-plan.js";
import { checkLangChainFields, checkModelOptions, checkSamplingOptions } from "./check-options.js";
import { checkReadableContent } from "./content-check.js";
import { DETERMINISTIC_MARKER, DeterministicLruCache } from "./deterministic-cache.js";
import {
  addToMeter,
  type Generation,
  generate,
  type ResolvedSampling,
  resolveSampling,
  type TokenMeterTotals,
} from "./generate.js";
import { contentToText } from "./history.js";
import { type CallResult, interpretGeneration, messageFields } from "./interpret.js";
import type { ChatNodeLlamaCppCallOptions, ChatNodeLlamaCppInput } from "./options.js";
import { type RenderedPrompt, renderCallPrompt } from "./render-prompt.js";
import { type ChatRuntime, createChatRuntime, releaseModel } from "./runtime.js";
import { type GenerationSink, streamCall } from "./stream.js";
import { structuredOutput } from "./structured-output.js";
import { checkToolChoice } from "./tool-choice.js";

export type { TokenMeterTotals } from "./generate.js";
export type { PromptDecoding, RenderedPrompt } from "./render-prompt.js";

/** The loaded model's sequences right now: what a server's monitoring reports. */
export interface QueueStats {
  /** Context sequences (concurrent calls served at once). */
  sequences: number;
  /** Sequences generating now. */
  busy: number;
  /** Calls waiting for a free sequence. */
  waiting: number;
  /** Calls refused since load because `maxQueue` calls were already waiting. */
  rejected: number;
}

/**
 * A LangChain chat model that runs a GGUF model in-process through node-llama-cpp.
 *
 * One loaded model serves many concurrent calls: each call borrows a context sequence from a
 * pool, preferring the one whose cached prefix matches its history, so a follow-up call only
 * evaluates its new tokens. This file is the LangChain surface; a call is planned
 * (call-plan.ts), generated (generate.ts), and read back as a message (interpret.ts).
 */
export class ChatNodeLlamaCpp extends BaseChatModel<ChatNodeLlamaCppCallOptions, AIMessageChunk> {
  static override lc_name() {
    return "ChatNodeLlamaCpp";
  }

  /** The constructor's fields, a model named by `model` moved to `modelPath`. */
  readonly fields: ChatNodeLlamaCppInput & { model?: LlamaModel };
  readonly tokenMeter: TokenMeterTotals = {
    calls: 0,
    promptTokens: 0,
    evaluatedPromptTokens: 0,
    outputTokens: 0,
  };
  private runtime?: Promise<ChatRuntime>;
  private readonly requestedContextSize: number;
  private resolvedContextSize?: number;
  private loaded?: ChatRuntime;

  constructor(input: ChatNodeLlamaCppInput) {
    if (typeof input.model === "string" && input.modelPath !== undefined) {
      throw new Error(
        "ChatNodeLlamaCpp takes one of `model` and `modelPath`; both name a file here.",
      );
    }
    const fields =
      typeof input.model === "string"
        ? { ...input, modelPath: input.model, model: undefined }
        : (input as ChatNodeLlamaCppInput & { model?: LlamaModel });
    const { cache, ...rest } = fields;
    // LangChain's AsyncCaller retries 6 times by default; a local call that failed (a full queue
    // aside) fails the same way again, so retries are opt-in.
    super({
      ...rest,
      maxRetries: fields.maxRetries ?? 0,
      cache: cache === true ? new DeterministicLruCache() : cache,
    });
    if (!fields.modelPath && !fields.model) {
      throw new Error("ChatNodeLlamaCpp needs `modelPath` (a GGUF file) or a loaded `model`.");
    }
    checkLangChainFields(fields);
    this.requestedContextSize = checkContextSize(fields.contextSize);
    checkSamplingOptions(fields);
    checkModelOptions(fields);
    this.fields = fields;
  }

  /**
   * Tokens of context per sequence: the size the context was created with once loaded (as
   * node-llama-cpp's `LlamaContext.contextSize` reports it), before that the size it will ask for
   * (the option or Hearth's default, within a loaded model's trained context). The agent graph
   * trims history to it.
   */
  get contextSize(): number {
    if (this.resolvedContextSize !== undefined) return this.resolvedContextSize;
    const trained = this.fields.model?.trainContextSize;
    return trained ? Math.min(this.requestedContextSize, trained) : this.requestedContextSize;
  }

  _llmType(): string {
    return "node-llama-cpp";
  }

  get modelPath(): string | undefined {
    return this.fields.modelPath ?? this.fields.model?.filename;
  }

  override _identifyingParams(): Record<string, unknown> {
    return {
      model: this.modelPath,
      contextSize: this.fields.contextSize,
      chatWrapper:
        typeof this.fields.chatWrapper === "object"
          ? this.fields.chatWrapper.wrapperName
          : this.fields.chatWrapper,
    };
  }

  private sampling(options: Partial<ChatNodeLlamaCppCallOptions>): ResolvedSampling {
    const stop = [...(this.fields.stop ?? []), ...(this.fields.stopSequences ?? [])];
    return resolveSampling(options, { ...this.fields, stop: stop.length > 0 ? stop : undefined });
  }

  override invocationParams(
    options?: Partial<ChatNodeLlamaCppCallOptions>,
  ): Record<string, unknown> {
    return { ...this._identifyingParams(), ...this.sampling(options ?? {}) };
  }

  // The cache key holds the model file, every sampling parameter and what is bound to the call;
  // deterministic calls (greedy, or sampled with a fixed seed) carry the marker the cache stores
  // by. It is built from those alone: LangChain's default key serialises every call option,
  // including the per-step `executionInfo` LangGraph adds (so no call inside a graph could ever
  // hit), and serialises tools without their names or schemas (so two tool sets would collide).
  override _getSerializedCacheKeyParametersForCall(
    options: Parameters<BaseChatModel["_getSerializedCacheKeyParametersForCall"]>[0],
  ): string {
    const call = options as ChatNodeLlamaCppCallOptions;
    const sampling = this.sampling(call);
    const deterministic = sampling.temperature === 0 || sampling.seed !== undefined;
    const key = JSON.stringify({
      _type: this._llmType(),
      ...this.invocationParams(call),
      tools: call.tools && call.tools.length > 0 ? toolSetKey(compileTools(call.tools)) : undefined,
      tool_choice: call.tool_choice,
      parallel_tool_calls: call.parallel_tool_calls,
      response_format: call.response_format,
    });
    return deterministic ? `${key},${DETERMINISTIC_MARKER}` : key;
  }

  override getLsParams(options: this["ParsedCallOptions"]) {
    const sampling = this.sampling(options);
    return {
      ls_provider: "node-llama-cpp",
      ls_model_name: this.modelPath,
      ls_model_type: "chat" as const,
      ls_temperature: sampling.temperature,
      ls_max_tokens: sampling.maxTokens,
      ls_stop: sampling.stop,
    };
  }

  /** Loads the model and its context on first use; concurrent first calls share one load. */
  ensureLoaded(): Promise<ChatRuntime> {
    if (!this.runtime) {
      this.runtime = createChatRuntime({
        modelPath: this.fields.modelPath,
        model: this.fields.model,
        contextSize: this.requestedContextSize,
        sequences: this.fields.sequences ?? 1,
        maxQueue: this.fields.maxQueue ?? 256,
        batchSize: this.fields.batchSize,
        gpuLayers: this.fields.gpuLayers,
        chatWrapper: this.fields.chatWrapper,
        prefixSnapshots: this.fields.prefixSnapshots,
        adaptiveThreads: this.fields.adaptiveThreads,
      });
      this.runtime.then(
        (runtime) => {
          this.resolvedContextSize = runtime.contextSize;
          this.loaded = runtime;
        },
        () => {
          this.runtime = undefined;
        },
      );
    }
    return this.runtime;
  }

  /** Sequence use and queue of the loaded model; undefined before it loads (reading never loads it). */
  get queueStats(): QueueStats | undefined {
    const pool = this.loaded?.pool;
    if (!pool) return undefined;
    return {
      sequences: pool.size,
      busy: pool.busyCount,
      waiting: pool.waiting,
      rejected: pool.rejected,
    };
  }

  /** Counts with the model's own tokenizer (LangChain's default downloads a GPT table). */
  override async getNumTokens(content: BaseMessage["content"]): Promise<number> {
    const runtime = await this.ensureLoaded();
    return runtime.model.tokenize(contentToText(content)).length;
  }

  override bindTools(
    // biome-ignore lint/suspicious/noExplicitAny: mirrors BaseChatModel.bindTools.
    tools: any[],
    kwargs?: Partial<ChatNodeLlamaCppCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatNodeLlamaCppCallOptions> {
    // Fails now, at bind time, on a tool the grammar cannot express or a choice naming no tool.
    const compiled = compileTools(tools);
    checkToolChoice(
      kwargs?.tool_choice,
      compiled.tools.map((tool) => tool.name),
    );
    return this.withConfig({ tools, ...kwargs } as Partial<ChatNodeLlamaCppCallOptions>);
  }

  /** The call's signal, plus the constructor's `timeout` when one is set. */
  private callSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
    const timeout = this.fields.timeout;
    if (timeout === undefined) return signal;
    const limit = AbortSignal.timeout(timeout);
    return signal ? AbortSignal.any([signal, limit]) : limit;
  }

  private async respond(
    messages: BaseMessage[],
    options: ChatNodeLlamaCppCallOptions,
    sink?: Partial<GenerationSink>,
  ): Promise<CallResult> {
    // Before loading: an aborted call must not pay for (or wait on) a model load.
    options.signal?.throwIfAborted();
    checkSamplingOptions(options);
    checkReadableContent(messages, this.fields.dropUnsupportedContent === true);
    const runtime = await this.ensureLoaded();
    const plan = await this.planFor(runtime, messages, options);
    const tools = plan.tools;
    const generation = await this.runCall(runtime, plan, this.sampling(options), {
      signal: this.callSignal(options.signal),
      onText: sink?.onText,
      onCallText: tools && sink?.onCallText ? (text) => sink.onCallText?.(text, tools) : undefined,
    });
    addToMeter(this.tokenMeter, generation);
    return interpretGeneration(generation, plan, runtime.modelFile);
  }

  /**
   * Decodes one planned call. The one seam below the LangChain surface: a subclass that
   * answers calls itself (the training-data recorder in src/micro/data) still gets every
   * call planned, bound and read back exactly as a real one.
   */
  protected runCall(
    runtime: ChatRuntime,
    plan: CallPlan,
    sampling: ResolvedSampling,
    io: {
      signal?: AbortSignal;
      onText?: (text: string) => void;
      onCallText?: (text: string) => void;
    },
  ): Promise<Generation> {
    return generate(runtime, plan, sampling, io.signal, io.onText, io.onCallText);
  }

  /**
   * The exact tokens a call with these messages and options evaluates before its first sampled
   * token: the same plan and chat wrapper `invoke` uses (tools, tool_choice, response_format,
   * thinking). A forced call's envelope (`<tool_call>\n{"name": `…) is output, not prompt (see
   * RenderedPrompt). Loads the model; generates nothing.
   */
  async renderPrompt(
    messages: BaseMessage[],
    options: Partial<ChatNodeLlamaCppCallOptions> = {},
  ): Promise<RenderedPrompt> {
    const runtime = await this.ensureLoaded();
    const plan = await this.planFor(runtime, messages, options);
    return renderCallPrompt(runtime, plan, this.sampling(options));
  }

  private planFor(
    runtime: ChatRuntime,
    messages: BaseMessage[],
    options: Partial<ChatNodeLlamaCppCallOptions>,
  ): Promise<CallPlan> {
    return planCall(messages, options as ChatNodeLlamaCppCallOptions, runtime.llama, {
      jumpForward: this.fields.jumpForward !== false,
    });
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    if (this.fields.streaming) {
      // Streams underneath so callbacks see every chunk; the result is the chunks aggregated.
      let aggregate: ChatGenerationChunk | undefined;
      for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
        aggregate = aggregate ? aggregate.concat(chunk) : chunk;
      }
      if (!aggregate) throw new Error("The stream ended without a chunk.");
      const message = aggregate.message as AIMessageChunk;
      return {
        generations: [{ text: aggregate.text, message, generationInfo: aggregate.generationInfo }],
        llmOutput: { tokenUsage: message.usage_metadata },
      };
    }
    const onToken = (text: string) => {
      void runManager?.handleLLMNewToken(text);
    };
    let sentText = "";
    // AsyncCaller: retries (maxRetries, default 0 here) with LangChain's back-off.
    const result = await this.caller.call(() => {
      sentText = "";
      return this.respond(messages, options as ChatNodeLlamaCppCallOptions, {
        onText: (text) => {
          sentText += text;
          onToken(text);
        },
        onCallText: onToken,
      });
    });
    // Reply text held back while it might have been a native call (see native-call-hold.ts).
    if (result.text.length > sentText.length && result.text.startsWith(sentText))
      onToken(result.text.slice(sentText.length));
    const message = new AIMessage({
      ...messageFields(result),
      id: messageId(runManager),
      tool_calls: result.toolCalls,
    });
    return {
      generations: [{ text: result.text, message, generationInfo: result.metadata }],
      llmOutput: { tokenUsage: result.usage },
    };
  }

  override _streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const callOptions = options as ChatNodeLlamaCppCallOptions;
    return streamCall((sink) => this.respond(messages, callOptions, sink), runManager, {
      id: messageId(runManager),
      streamUsage: (callOptions.streamUsage ?? this.fields.streamUsage) !== false,
    });
  }

  /**
   * Structured output (see structured-output.ts): `method` "jsonSchema" (default, a grammar over
   * the reply), "functionCalling" (a forced call; `raw` carries it in `tool_calls`) or "jsonMode".
   * Typed like ChatOllama's: the parsed type follows the schema, `includeRaw` adds the message.
   */
  override withStructuredOutput<
    // biome-ignore lint/suspicious/noExplicitAny: LangChain's own bound for structured output.
    RunOutput extends Record<string, any> = Record<string, any>,
  >(
    // biome-ignore lint/suspicious/noExplicitAny: a plain JSON Schema object, as in BaseChatModel.
    outputSchema: InteropZodType<RunOutput> | Record<string, any>,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<
    // biome-ignore lint/suspicious/noExplicitAny: LangChain's own bound for structured output.
    RunOutput extends Record<string, any> = Record<string, any>,
  >(
    // biome-ignore lint/suspicious/noExplicitAny: a plain JSON Schema object, as in BaseChatModel.
    outputSchema: InteropZodType<RunOutput> | Record<string, any>,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput<
    // biome-ignore lint/suspicious/noExplicitAny: LangChain's own bound for structured output.
    RunOutput extends Record<string, any> = Record<string, any>,
  >(
    // biome-ignore lint/suspicious/noExplicitAny: a plain JSON Schema object, as in BaseChatModel.
    outputSchema: InteropZodType<RunOutput> | Record<string, any>,
    config?: StructuredOutputMethodOptions<boolean>,
  ):
    | Runnable<BaseLanguageModelInput, RunOutput>
    | Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }> {
    return structuredOutput(
      {
        withConfig: (options) => this.withConfig(options),
        bindTools: (tools, kwargs) => this.bindTools(tools, kwargs),
      },
      outputSchema,
      config,
    );
  }

  /** Frees the context (and the model, when this chat model loaded it). */
  async dispose(): Promise<void> {
    const runtime = await this.runtime?.catch(() => undefined);
    this.runtime = undefined;
    this.loaded = undefined;
    if (!runtime) return;
    await runtime.context.dispose();
    if (runtime.ownsModel) await releaseModel(runtime.model);
  }
}

/** A message id for every result, callbacks or not: LangChain's `run-<id>` when there is a run. */
function messageId(runManager: CallbackManagerForLLMRun | undefined): string {
  return runManager ? `run-${runManager.runId}` : `run-${randomUUID()}`;
}
