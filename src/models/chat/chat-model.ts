import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from "@langchain/core/language_models/base";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import { compileTools } from "../../tools/index.js";
import { checkContextSize } from "../context/index.js";
import { planCall } from "./call-plan.js";
import { checkModelOptions, checkSamplingOptions } from "./check-options.js";
import { DETERMINISTIC_MARKER, DeterministicLruCache } from "./deterministic-cache.js";
import {
  addToMeter,
  generate,
  type ResolvedSampling,
  resolveSampling,
  type TokenMeterTotals,
} from "./generate.js";
import { contentToText } from "./history.js";
import { type CallResult, interpretGeneration, messageFields } from "./interpret.js";
import type { ChatNodeLlamaCppCallOptions, ChatNodeLlamaCppInput } from "./options.js";
import { type ChatRuntime, createChatRuntime, releaseModel } from "./runtime.js";
import { streamCall } from "./stream.js";
import { structuredOutput } from "./structured-output.js";

export type { TokenMeterTotals } from "./generate.js";

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

  readonly fields: ChatNodeLlamaCppInput;
  readonly tokenMeter: TokenMeterTotals = {
    calls: 0,
    promptTokens: 0,
    evaluatedPromptTokens: 0,
    outputTokens: 0,
  };
  private runtime?: Promise<ChatRuntime>;
  private readonly requestedContextSize: number;
  private resolvedContextSize?: number;

  constructor(fields: ChatNodeLlamaCppInput) {
    const { cache, ...rest } = fields;
    super({ ...rest, cache: cache === true ? new DeterministicLruCache() : cache });
    if (!fields.modelPath && !fields.model) {
      throw new Error("ChatNodeLlamaCpp needs `modelPath` (a GGUF file) or a loaded `model`.");
    }
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
    return resolveSampling(options, this.fields);
  }

  override invocationParams(
    options?: Partial<ChatNodeLlamaCppCallOptions>,
  ): Record<string, unknown> {
    return { ...this._identifyingParams(), ...this.sampling(options ?? {}) };
  }

  // The cache key holds the model file and every sampling parameter; deterministic calls
  // (greedy, or sampled with a fixed seed) carry the marker the cache stores by.
  override _getSerializedCacheKeyParametersForCall(
    options: Parameters<BaseChatModel["_getSerializedCacheKeyParametersForCall"]>[0],
  ): string {
    const sampling = this.sampling(options as ChatNodeLlamaCppCallOptions);
    const deterministic = sampling.temperature === 0 || sampling.seed !== undefined;
    const base = super._getSerializedCacheKeyParametersForCall(options);
    return `${base},${JSON.stringify(this.invocationParams(options as ChatNodeLlamaCppCallOptions))}${deterministic ? `,${DETERMINISTIC_MARKER}` : ""}`;
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
        },
        () => {
          this.runtime = undefined;
        },
      );
    }
    return this.runtime;
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
    compileTools(tools); // Fails now, at bind time, on a tool the grammar cannot express.
    return this.withConfig({ tools, ...kwargs } as Partial<ChatNodeLlamaCppCallOptions>);
  }

  private async respond(
    messages: BaseMessage[],
    options: ChatNodeLlamaCppCallOptions,
    onText?: (text: string) => void,
  ): Promise<CallResult> {
    // Before loading: an aborted call must not pay for (or wait on) a model load.
    options.signal?.throwIfAborted();
    checkSamplingOptions(options);
    const runtime = await this.ensureLoaded();
    const plan = await planCall(messages, options, runtime.llama, {
      jumpForward: this.fields.jumpForward !== false,
    });
    const generation = await generate(
      runtime,
      plan,
      this.sampling(options),
      options.signal,
      onText,
    );
    addToMeter(this.tokenMeter, generation);
    return interpretGeneration(generation, plan, runtime.modelFile);
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const result = await this.respond(messages, options as ChatNodeLlamaCppCallOptions, (text) => {
      void runManager?.handleLLMNewToken(text);
    });
    const message = new AIMessage({ ...messageFields(result), tool_calls: result.toolCalls });
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
    return streamCall(
      (onText) => this.respond(messages, options as ChatNodeLlamaCppCallOptions, onText),
      runManager,
    );
  }

  /** Structured output through a JSON-schema grammar (see structured-output.ts). */
  override withStructuredOutput(
    // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
    outputSchema: any,
    config?: StructuredOutputMethodOptions<boolean>,
    // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
  ): Runnable<BaseLanguageModelInput, any> {
    return structuredOutput(
      (format) =>
        this.withConfig({ response_format: format } as Partial<ChatNodeLlamaCppCallOptions>),
      outputSchema,
      config,
    );
  }

  /** Frees the context (and the model, when this chat model loaded it). */
  async dispose(): Promise<void> {
    const runtime = await this.runtime?.catch(() => undefined);
    this.runtime = undefined;
    if (!runtime) return;
    await runtime.context.dispose();
    if (runtime.ownsModel) await releaseModel(runtime.model);
  }
}
