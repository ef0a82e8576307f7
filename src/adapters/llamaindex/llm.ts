import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { AIMessageChunk } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import {
  type ChatResponse,
  type ChatResponseChunk,
  type LLMChatParamsNonStreaming,
  type LLMChatParamsStreaming,
  type LLMMetadata,
  type ToolCall,
  ToolCallLLM,
  type ToolCallLLMMessageOptions,
} from "llamaindex";
import { contentText, toLangChainMessages, toToolDefinition } from "./messages.js";

/** Per-call options LlamaIndex passes through `additionalChatOptions`. */
export interface HearthChatOptions {
  /** "auto" (default), "required", "none" or a tool name (forced by a grammar in ChatNodeLlamaCpp). */
  tool_choice?: string;
  parallel_tool_calls?: boolean;
}

export interface HearthLLMOptions {
  /** The LangChain chat model to run, usually a `ChatNodeLlamaCpp` (same loaded model, same grammars). */
  chatModel: BaseChatModel;
  /** What LlamaIndex plans prompts for; default the chat model's `contextSize`, else 8192. */
  contextWindow?: number;
  /** Reported in `metadata.model`; default the model file's name. */
  model?: string;
}

function textOf(message: AIMessageChunk): string {
  return typeof message.content === "string"
    ? message.content
    : contentText(message.content as never, 0);
}

function toolCallsOf(message: AIMessageChunk): ToolCall[] {
  const invalid = message.invalid_tool_calls ?? [];
  if ((message.tool_calls ?? []).length === 0 && invalid.length > 0) {
    // LlamaIndex has no place for a call that failed to parse; dropping it would hide the failure.
    throw new Error(
      `The model's tool call could not be read: ${invalid.map((call) => call.error ?? call.args).join("; ")}`,
    );
  }
  return (message.tool_calls ?? []).map((call) => ({
    id: call.id ?? "",
    name: call.name,
    input: call.args as ToolCall["input"],
  }));
}

/**
 * A LlamaIndex.TS `LLM` over a LangChain chat model — with `ChatNodeLlamaCpp`, the local GGUF
 * model and its guarantees: tool calls in LlamaIndex's `options.toolCall` are the chat model's
 * parsed, schema-checked calls; `tool_choice` other than "auto" is forced by a grammar.
 * `complete` is LlamaIndex's own, over `chat`.
 */
export class HearthLLM extends ToolCallLLM<HearthChatOptions> {
  supportToolCall = true;
  metadata: LLMMetadata;
  readonly chatModel: BaseChatModel;

  constructor(options: HearthLLMOptions) {
    super();
    this.chatModel = options.chatModel;
    const fields = (options.chatModel as { fields?: Record<string, unknown> }).fields ?? {};
    const file = (fields.modelPath as string | undefined) ?? "hearth-local";
    this.metadata = {
      model: options.model ?? file.split(/[\\/]/).at(-1)!,
      temperature: (fields.temperature as number | undefined) ?? 0,
      topP: (fields.topP as number | undefined) ?? 1,
      maxTokens: (fields.maxTokens as number | undefined) ?? 1024,
      contextWindow: options.contextWindow ?? (fields.contextSize as number | undefined) ?? 8192,
      tokenizer: undefined,
      structuredOutput: false,
    };
  }

  private runnable(
    params:
      | LLMChatParamsStreaming<HearthChatOptions>
      | LLMChatParamsNonStreaming<HearthChatOptions>,
  ) {
    if (params.responseFormat !== undefined) {
      throw new Error(
        "HearthLLM does not take responseFormat; use ChatNodeLlamaCpp.withStructuredOutput(schema), which enforces the schema with a grammar.",
      );
    }
    const tools = params.tools ?? [];
    if (tools.length === 0) return this.chatModel;
    const { tool_choice, parallel_tool_calls } = params.additionalChatOptions ?? {};
    if (!this.chatModel.bindTools) {
      throw new Error("The chat model given to HearthLLM cannot bind tools.");
    }
    return this.chatModel.bindTools(tools.map(toToolDefinition), {
      tool_choice: tool_choice ?? "auto",
      ...(parallel_tool_calls !== undefined ? { parallel_tool_calls } : {}),
    } as never);
  }

  chat(
    params: LLMChatParamsStreaming<HearthChatOptions, ToolCallLLMMessageOptions>,
  ): Promise<AsyncIterable<ChatResponseChunk<ToolCallLLMMessageOptions>>>;
  chat(
    params: LLMChatParamsNonStreaming<HearthChatOptions, ToolCallLLMMessageOptions>,
  ): Promise<ChatResponse<ToolCallLLMMessageOptions>>;
  async chat(
    params:
      | LLMChatParamsStreaming<HearthChatOptions, ToolCallLLMMessageOptions>
      | LLMChatParamsNonStreaming<HearthChatOptions, ToolCallLLMMessageOptions>,
  ): Promise<
    | ChatResponse<ToolCallLLMMessageOptions>
    | AsyncIterable<ChatResponseChunk<ToolCallLLMMessageOptions>>
  > {
    const runnable = this.runnable(params);
    const messages = toLangChainMessages(params.messages);
    if (params.stream) return this.streamChat(runnable, messages);
    const reply = (await runnable.invoke(messages)) as AIMessageChunk;
    const toolCall = toolCallsOf(reply);
    return {
      message: {
        role: "assistant",
        content: textOf(reply),
        options: toolCall.length > 0 ? { toolCall } : {},
      },
      raw: reply,
    };
  }

  private async *streamChat(
    runnable: ReturnType<HearthLLM["runnable"]>,
    messages: ReturnType<typeof toLangChainMessages>,
  ): AsyncIterable<ChatResponseChunk<ToolCallLLMMessageOptions>> {
    let whole: AIMessageChunk | undefined;
    for await (const chunk of await runnable.stream(messages)) {
      const piece = chunk as AIMessageChunk;
      whole = whole ? concat(whole, piece) : piece;
      const delta = textOf(piece);
      if (delta !== "") yield { delta, raw: piece };
    }
    // Calls are complete only once the stream ends; LlamaIndex agents read them from `options`.
    const toolCall = whole ? toolCallsOf(whole) : [];
    if (toolCall.length > 0) yield { delta: "", raw: whole ?? null, options: { toolCall } };
  }
}
