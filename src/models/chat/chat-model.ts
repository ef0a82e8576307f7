import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from "@langchain/core/language_models/base";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  type InvalidToolCall,
  type ToolCall,
  type UsageMetadata,
} from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import {
  type Runnable,
  RunnableLambda,
  RunnablePassthrough,
  RunnableSequence,
} from "@langchain/core/runnables";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { interopParse, isInteropZodSchema } from "@langchain/core/utils/types";
import {
  type ChatHistoryItem,
  type ChatModelFunctions,
  LlamaChat,
  type LlamaChatResponse,
} from "node-llama-cpp";
import {
  type CompiledToolSchema,
  type CompiledToolSet,
  compileTool,
  compileTools,
  getJsonGrammar,
  getToolCallGrammar,
  type JsonGrammar,
  type ResolvedToolCall,
  type ToolCallGrammar,
} from "../../tools/index.js";
import { checkContextSize } from "../context/index.js";
import { loadModel } from "../load/index.js";
import type { ModelSelection } from "../select/index.js";
import { DETERMINISTIC_MARKER, DeterministicLruCache } from "./deterministic-cache.js";
import { contentToText, messagesToChatHistory } from "./history.js";
import {
  canJumpForward,
  type JumpForwardResult,
  JumpForwardUnavailableError,
  jumpForwardToolCall,
} from "./jump-forward.js";
import type {
  ChatNodeLlamaCppCallOptions,
  ChatNodeLlamaCppInput,
  ThinkingOption,
  ToolChoiceOption,
} from "./options.js";
import { type ChatRuntime, createChatRuntime, releaseModel } from "./runtime.js";
import { documentOnlyWrapper } from "./wrapper-modes.js";

/** Counters across every call of one chat model; benchmarks read them. */
export interface TokenMeterTotals {
  calls: number;
  /** Prompt tokens of all calls (what a stateless server would evaluate). */
  promptTokens: number;
  /** Prompt tokens actually evaluated (the rest came from the KV cache of a matching prefix). */
  evaluatedPromptTokens: number;
  outputTokens: number;
}

interface CallPlan {
  history: ChatHistoryItem[];
  fingerprint: string[];
  tools?: CompiledToolSet;
  functions?: ChatModelFunctions;
  /** Forced tool calls: the output is `{ name, arguments }` under this grammar. */
  callGrammar?: ToolCallGrammar;
  /** Forced single call decoded jump-forward (see jump-forward.ts), limited to these tools. */
  jumpForward?: { toolNames?: string[] };
  /** Structured output: the output is this schema's JSON. */
  outputGrammar?: JsonGrammar;
  documentOnly: boolean;
}

/** Stable text for a tool set: part of the prefix fingerprint (the docs render into the system block). */
const toolSetKeys = new WeakMap<CompiledToolSet, string>();
function toolSetKey(set: CompiledToolSet): string {
  let key = toolSetKeys.get(set);
  if (key === undefined) {
    key = JSON.stringify(set.functions);
    toolSetKeys.set(set, key);
  }
  return key;
}

/** A `response_format` schema compiled like a tool's, so it gets the same normalisation and checks. */
const outputSchemas = new WeakMap<object, CompiledToolSchema>();
function compileOutputSchema(format: {
  schema: Record<string, unknown>;
  name?: string;
}): CompiledToolSchema {
  let compiled = outputSchemas.get(format);
  if (!compiled) {
    compiled = compileTool({ name: format.name ?? "output", schema: format.schema });
    outputSchemas.set(format, compiled);
  }
  return compiled;
}

function toToolCall(call: ResolvedToolCall): ToolCall {
  // Arguments that fail validation still go out as a call: the tool layer answers them with an
  // error ToolMessage the model sees (see src/tools executeToolCall), rather than losing them here.
  const args = call.validation.ok ? call.validation.value : call.args;
  return {
    type: "tool_call",
    id: newToolCallId(),
    name: call.name,
    args: (args ?? {}) as Record<string, unknown>,
  };
}

interface CallResult {
  text: string;
  thoughts: string;
  toolCalls: ToolCall[];
  invalidToolCalls: InvalidToolCall[];
  usage: UsageMetadata;
  metadata: Record<string, unknown>;
}

let callCounter = 0;
function newToolCallId(): string {
  callCounter = (callCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `call_${Date.now().toString(36)}${callCounter.toString(36)}`;
}

function thinkingBudget(thinking: ThinkingOption | undefined): number | undefined {
  if (thinking === undefined || thinking === "off") return 0;
  if (thinking === "on") return undefined;
  return thinking.budget;
}

function normalizeToolChoice(choice: ToolChoiceOption | undefined): {
  mode: "auto" | "required" | "none";
  name?: string;
} {
  if (choice === undefined || choice === "auto") return { mode: "auto" };
  if (choice === "none") return { mode: "none" };
  if (choice === "required" || choice === "any") return { mode: "required" };
  if (typeof choice === "string") return { mode: "required", name: choice };
  const name = (choice as { function?: { name?: unknown } }).function?.name;
  if (typeof name === "string") return { mode: "required", name };
  throw new Error(
    `Unsupported tool_choice ${JSON.stringify(choice)}: use "auto", "required", "none" or a tool name.`,
  );
}

/**
 * A LangChain chat model that runs a GGUF model in-process through node-llama-cpp.
 *
 * One loaded model serves many concurrent calls: each call borrows a context sequence from a
 * pool, preferring the one whose cached prefix matches its history, so a follow-up call only
 * evaluates its new tokens.
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

  private sampling(options: Partial<ChatNodeLlamaCppCallOptions>) {
    return {
      temperature: options.temperature ?? this.fields.temperature ?? 0,
      topK: options.topK ?? this.fields.topK,
      topP: options.topP ?? this.fields.topP,
      seed: options.seed ?? this.fields.seed,
      maxTokens: options.maxTokens ?? this.fields.maxTokens ?? 1024,
      thinking: options.thinking ?? this.fields.thinking ?? "off",
      stop: options.stop ?? this.fields.stop,
    };
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

  private async plan(
    messages: BaseMessage[],
    options: ChatNodeLlamaCppCallOptions,
    runtime: ChatRuntime,
  ): Promise<CallPlan> {
    const tools =
      options.tools && options.tools.length > 0 ? compileTools(options.tools) : undefined;
    const history = messagesToChatHistory(messages, {
      toModelName: (name) => tools?.modelNameFromTool(name) ?? name,
    });
    const fingerprint = [
      tools ? toolSetKey(tools) : "",
      ...history.slice(0, -1).map((item) => JSON.stringify(item)),
    ];
    const plan: CallPlan = { history, fingerprint, tools, documentOnly: false };
    if (options.response_format) {
      plan.outputGrammar = await getJsonGrammar(
        runtime.llama,
        compileOutputSchema(options.response_format).grammarSchema,
      );
      plan.documentOnly = true;
      return plan;
    }
    if (!tools) return plan;
    const choice = normalizeToolChoice(options.tool_choice);
    if (choice.mode === "auto") {
      plan.functions = tools.functions;
    } else if (choice.mode === "none") {
      plan.documentOnly = true;
    } else {
      if (choice.name !== undefined && !tools.get(choice.name)) {
        throw new Error(
          `tool_choice names "${choice.name}", which is not among the bound tools (${tools.tools.map((tool) => tool.name).join(", ")}).`,
        );
      }
      plan.callGrammar = await getToolCallGrammar(runtime.llama, tools, {
        toolNames: choice.name ? [choice.name] : undefined,
        parallel: options.parallel_tool_calls === true,
      });
      if (
        this.fields.jumpForward !== false &&
        canJumpForward(tools, options.parallel_tool_calls === true)
      ) {
        plan.jumpForward = { toolNames: choice.name ? [choice.name] : undefined };
      }
      plan.documentOnly = true;
    }
    return plan;
  }

  private async respond(
    messages: BaseMessage[],
    options: ChatNodeLlamaCppCallOptions,
    onText?: (text: string) => void,
  ): Promise<CallResult> {
    const runtime = await this.ensureLoaded();
    const plan = await this.plan(messages, options, runtime);
    const sampling = this.sampling(options);
    const queuedAt = performance.now();
    const lease = await runtime.pool.acquire(plan.fingerprint, options.signal);
    const startedAt = performance.now();
    const sequence = lease.sequence;
    const meterBefore = sequence.tokenMeter.getState();
    let released = false;
    const chatWrapper = plan.documentOnly
      ? documentOnlyWrapper(runtime.chatWrapper, plan.tools?.functions)
      : runtime.chatWrapper;
    const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
    let firstTokenAt: number | undefined;
    try {
      const common = {
        signal: options.signal,
        maxTokens: sampling.maxTokens,
        temperature: sampling.temperature,
        topK: sampling.topK,
        topP: sampling.topP,
        seed: sampling.seed,
        customStopTriggers: sampling.stop && sampling.stop.length > 0 ? sampling.stop : undefined,
        budgets: { thoughtTokens: thinkingBudget(sampling.thinking) },
        onTextChunk: (text: string) => {
          firstTokenAt ??= performance.now();
          if (!plan.callGrammar) onText?.(text);
        },
      };
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
            signal: options.signal,
          });
        } catch (error) {
          if (!(error instanceof JumpForwardUnavailableError)) throw error;
        }
      }
      const grammar = plan.callGrammar ?? plan.outputGrammar;
      const response: LlamaChatResponse = jumped
        ? ({
            response: jumped.text,
            fullResponse: [jumped.text],
            metadata: { stopReason: "eogToken" },
          } as unknown as LlamaChatResponse)
        : grammar
          ? await chat.generateResponse(plan.history, { ...common, grammar })
          : await chat.generateResponse(plan.history, {
              ...common,
              functions: plan.functions,
              documentFunctionParams: plan.functions ? true : undefined,
              maxParallelFunctionCalls: plan.functions ? 8 : undefined,
            });
      const finishedAt = performance.now();
      const used = sequence.tokenMeter.diff(meterBefore);
      // node-llama-cpp meters prompt evaluation as input and generated tokens as output; the
      // sequence then holds prompt + output, so the prompt's length is what remains. A
      // jump-forward call feeds its fixed text as input: those tokens are output of the call.
      const outputTokens = jumped
        ? jumped.sampledTokens + jumped.forcedTokens
        : used.usedOutputTokens;
      const evaluatedPrompt = jumped ? jumped.promptTokensEvaluated : used.usedInputTokens;
      const promptTokens = jumped
        ? jumped.promptTokens
        : Math.max(evaluatedPrompt, sequence.nextTokenIndex - outputTokens);
      runtime.pool.release(lease, plan.fingerprint);
      released = true;
      this.tokenMeter.calls++;
      this.tokenMeter.promptTokens += promptTokens;
      this.tokenMeter.evaluatedPromptTokens += evaluatedPrompt;
      this.tokenMeter.outputTokens += outputTokens;

      const result = this.interpret(response, plan);
      result.usage = {
        input_tokens: promptTokens,
        output_tokens: outputTokens,
        total_tokens: promptTokens + outputTokens,
        input_token_details: { cache_read: promptTokens - evaluatedPrompt },
      };
      result.metadata = {
        model: runtime.modelFile,
        stopReason: response.metadata.stopReason,
        finish_reason: result.toolCalls.length > 0 ? "tool_calls" : response.metadata.stopReason,
        sequence: lease.index,
        decoding: jumped ? "jump-forward" : "llama-chat",
        promptTokens,
        evaluatedPromptTokens: evaluatedPrompt,
        outputTokens,
        timings: {
          queueMs: startedAt - queuedAt,
          firstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - startedAt,
          totalMs: finishedAt - startedAt,
        },
      };
      return result;
    } finally {
      chat.dispose({ disposeSequence: false });
      if (!released) runtime.pool.release(lease, undefined);
    }
  }

  private interpret(response: LlamaChatResponse, plan: CallPlan): CallResult {
    const thoughts = response.fullResponse
      .filter(
        (item) =>
          typeof item === "object" && item.type === "segment" && item.segmentType === "thought",
      )
      .map((item) => (item as { text: string }).text)
      .join("");
    const result: CallResult = {
      text: response.response,
      thoughts,
      toolCalls: [],
      invalidToolCalls: [],
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      metadata: {},
    };
    if (plan.callGrammar && plan.tools) {
      const raw = response.response;
      result.text = "";
      let value: unknown;
      try {
        value = JSON.parse(raw.trim());
      } catch {
        result.invalidToolCalls.push({
          type: "invalid_tool_call",
          id: newToolCallId(),
          name: undefined,
          args: raw,
          error: `The forced tool call is not complete JSON (generation stopped after ${response.metadata.stopReason}; raise maxTokens or bound string lengths with maxLength).`,
        });
      }
      // Parsed calls go out even when an argument fails validation (see toToolCall).
      if (value !== undefined)
        result.toolCalls.push(...plan.tools.parseCalls(value).map(toToolCall));
    }
    const calls = (response.functionCalls ?? []) as Array<{
      functionName: string;
      params: unknown;
    }>;
    for (const call of calls) {
      const resolved = plan.tools?.resolveCall(call.functionName, call.params);
      result.toolCalls.push(
        resolved
          ? toToolCall(resolved)
          : {
              type: "tool_call",
              id: newToolCallId(),
              name: call.functionName,
              args: (call.params ?? {}) as Record<string, unknown>,
            },
      );
    }
    return result;
  }

  private toMessageFields(result: CallResult) {
    return {
      content: result.text,
      tool_calls: result.toolCalls,
      invalid_tool_calls: result.invalidToolCalls,
      usage_metadata: result.usage,
      response_metadata: result.metadata,
      additional_kwargs: result.thoughts ? { reasoning_content: result.thoughts } : {},
    };
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const result = await this.respond(messages, options as ChatNodeLlamaCppCallOptions, (text) => {
      void runManager?.handleLLMNewToken(text);
    });
    const message = new AIMessage(this.toMessageFields(result));
    return {
      generations: [{ text: result.text, message, generationInfo: result.metadata }],
      llmOutput: { tokenUsage: result.usage },
    };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: unknown;
    let final: CallResult | undefined;
    const running = this.respond(messages, options as ChatNodeLlamaCppCallOptions, (text) => {
      queue.push(text);
      wake?.();
    }).then(
      (result) => {
        final = result;
      },
      (error: unknown) => {
        failure = error;
      },
    );
    void running.finally(() => {
      finished = true;
      wake?.();
    });
    while (true) {
      while (queue.length > 0) {
        const text = queue.shift()!;
        yield new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text }) });
        await runManager?.handleLLMNewToken(text);
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    await running;
    if (failure !== undefined) throw failure;
    const result = final!;
    // The closing chunk carries what only the end knows: tool calls, usage, stop reason.
    yield new ChatGenerationChunk({
      text: "",
      message: new AIMessageChunk({
        content: "",
        tool_call_chunks: result.toolCalls.map((call, index) => ({
          type: "tool_call_chunk" as const,
          id: call.id,
          name: call.name,
          args: JSON.stringify(call.args),
          index,
        })),
        invalid_tool_calls: result.invalidToolCalls,
        usage_metadata: result.usage,
        response_metadata: result.metadata,
        additional_kwargs: result.thoughts ? { reasoning_content: result.thoughts } : {},
      }),
      generationInfo: result.metadata,
    });
  }

  /** Structured output through a JSON-schema grammar: the model cannot emit anything else. */
  override withStructuredOutput(
    // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
    outputSchema: any,
    config?: StructuredOutputMethodOptions<boolean>,
    // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
  ): Runnable<BaseLanguageModelInput, any> {
    const isZod = isInteropZodSchema(outputSchema);
    const jsonSchema = (isZod ? toJsonSchema(outputSchema) : outputSchema) as Record<
      string,
      unknown
    >;
    const name =
      config?.name ?? (typeof jsonSchema.title === "string" ? jsonSchema.title : "output");
    // Compiled now: a schema the grammar cannot express fails here, not on the first call.
    const compiled = compileTool({ name, schema: isZod ? outputSchema : jsonSchema });
    const format = { type: "json_schema" as const, schema: compiled.jsonSchema, name };
    outputSchemas.set(format, compiled);
    const model = this.withConfig({
      response_format: format,
    } as Partial<ChatNodeLlamaCppCallOptions>);
    const parse = RunnableLambda.from((message: AIMessageChunk) => {
      const text =
        typeof message.content === "string" ? message.content : JSON.stringify(message.content);
      let value: unknown;
      try {
        value = JSON.parse(text.trim());
      } catch {
        throw new Error(
          `Structured output "${name}" is not complete JSON (the generation stopped early; raise maxTokens or bound strings with maxLength): ${text.slice(0, 200)}`,
        );
      }
      const checked = compiled.validate(value);
      if (!checked.ok)
        throw new Error(`Structured output "${name}" failed validation: ${checked.error}`);
      return isZod ? parseZod(outputSchema, checked.value) : checked.value;
    });
    if (!config?.includeRaw) return model.pipe(parse).withConfig({ runName: "StructuredOutput" });
    return RunnableSequence.from([
      { raw: model },
      RunnablePassthrough.assign({
        parsed: (input: { raw: AIMessageChunk }) => parse.invoke(input.raw),
      }),
    ]).withConfig({ runName: "StructuredOutputRunnable" });
  }

  /** Frees the context (and the model, when this chat model loaded it). */
  async dispose(): Promise<void> {
    const runtime = await this.runtime?.catch(() => undefined);
    this.runtime = undefined;
    if (!runtime) return;
    await runtime.context.dispose();
    if (runtime.ownsModel) await releaseModel(runtime.model);
  }

  /**
   * A chat model for `selectModel()`'s choice: loads it (downloading when allowed, stepping
   * down to a smaller alternative when memory runs out) with the selection's context and batch.
   */
  static async fromSelection(
    selection: ModelSelection,
    options: Omit<ChatNodeLlamaCppInput, "modelPath" | "model"> = {},
  ): Promise<ChatNodeLlamaCpp> {
    const loaded = await loadModel(selection);
    const choice = loaded.choice ?? selection;
    return new ChatNodeLlamaCpp({
      contextSize: choice.contextSize,
      batchSize: choice.batchSize,
      ...options,
      model: loaded.model,
    });
  }
}

/** The validated input form, parsed once more by the Zod schema so defaults and transforms apply. */
// biome-ignore lint/suspicious/noExplicitAny: interop Zod (v3 or v4) schema.
function parseZod(schema: any, value: unknown): unknown {
  return interopParse(schema, value);
}
