import type { BaseCache } from "@langchain/core/caches";
import type {
  BaseChatModelCallOptions,
  BaseChatModelParams,
  ToolChoice,
} from "@langchain/core/language_models/chat_models";
import type { ChatWrapper, LlamaModel, ResolvableChatWrapperTypeName } from "node-llama-cpp";
import type { PrefixSnapshotOptions } from "../snapshots/index.js";

/** Qwen3-style reasoning: off (the default, for tool routing), on, or on with a token budget. */
export type ThinkingOption = "off" | "on" | { budget: number };

/**
 * LangChain's ToolChoice ("auto" | "any" | "required" | "none" | a tool name |
 * `{ type: "function", function: { name } }`) and Anthropic's objects (`{ type: "tool", name }`,
 * `{ type: "any" | "auto" | "none" }`); see tool-choice.ts.
 */
export type ToolChoiceOption =
  | ToolChoice
  | { type: "tool"; name: string }
  | { type: "any" | "auto" | "none" };

export interface SamplingOptions {
  /** 0 = greedy (deterministic, cacheable). Default 0. */
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  /** Default 1024. */
  maxTokens?: number;
  thinking?: ThinkingOption;
}

export interface ChatNodeLlamaCppInput extends BaseChatModelParams, SamplingOptions {
  /** A GGUF file on disk, an `hf:` URI, or "micro" (Hearth Micro, shipped in the package). One of `modelPath` / `model`. */
  modelPath?: string;
  /**
   * An already loaded node-llama-cpp model (shared, not disposed by this chat model), or a name
   * as `modelPath` takes it (`model: "micro"`).
   */
  model?: LlamaModel | string;
  /**
   * Tokens of context per sequence. Default 8192; from 512 to 32768 (another value is refused
   * here), and at most the model's trained context. `ChatNodeLlamaCpp.contextSize` reports it.
   */
  contextSize?: number;
  /**
   * Concurrent calls one loaded model serves (context sequences); more wait in the queue.
   * Default 1, because each sequence holds its own KV cache of `contextSize` tokens and the
   * model selector budgets for one: raise it when memory allows (e.g. 4 for a server).
   */
  sequences?: number;
  /** Calls allowed to wait for a free sequence before new ones are refused. Default 256. */
  maxQueue?: number;
  batchSize?: number;
  gpuLayers?: number | "auto" | "max";
  /** node-llama-cpp chat wrapper or its type name; default: resolved from the GGUF. */
  chatWrapper?: ChatWrapper | ResolvableChatWrapperTypeName | "auto";
  stop?: string[];
  /**
   * Decode a forced single tool call jump-forward (default true): the call's fixed JSON is fed
   * as input and only its values are sampled (see jump-forward.ts). `false` samples the whole
   * call under one grammar, through LlamaChat.
   */
  jumpForward?: boolean;
  /** LangChain's other name for `stop` (ChatAnthropic's, the standard tests'): both lists apply. */
  stopSequences?: string[];
  /** Milliseconds a call may run before it is aborted, as if its signal had fired. */
  timeout?: number;
  /**
   * `invoke` streams underneath, so callbacks see every chunk as it is generated (text tokens,
   * forced calls' JSON, tool-call chunks) and the result is the chunks aggregated.
   */
  streaming?: boolean;
  /** `false`: streamed chunks carry no `usage_metadata` (the call option of the same name wins). */
  streamUsage?: boolean;
  /**
   * Content a text-only model cannot read (images, audio, files, unmatched tool_use blocks) is
   * refused with an error naming the block; `true` drops such blocks instead, and the history
   * says in their place that something was omitted.
   */
  dropUnsupportedContent?: boolean;
  /**
   * Prefix snapshots (default on): a call's system + tools prefix, once evaluated, is copied
   * into other sequences of the context and saved on disk for other processes, and restored
   * instead of evaluated where that is measured faster (see src/models/snapshots). `false`
   * turns them off; an object tunes the disk cache.
   */
  prefixSnapshots?: boolean | PrefixSnapshotOptions;
  /**
   * On a CPU backend, re-check before each call how many cores other processes keep busy and
   * cap llama.cpp's threads to the rest (default true; off when HEARTH_THREADS is set).
   */
  adaptiveThreads?: boolean;
  /** `true` gives a bounded, deterministic-only LRU cache (see DeterministicLruCache). */
  cache?: BaseCache | boolean;
}

export interface ChatNodeLlamaCppCallOptions extends BaseChatModelCallOptions, SamplingOptions {
  // biome-ignore lint/suspicious/noExplicitAny: LangChain's BindToolsInput is itself `Record<string, any>`-shaped.
  tools?: any[];
  tool_choice?: ToolChoiceOption;
  /** `false`: this stream's chunks carry no `usage_metadata`. */
  streamUsage?: boolean;
  /**
   * With a forced tool_choice: let the model emit one or more calls (an array under the grammar).
   * With "auto": `false` allows at most one call per turn.
   */
  parallel_tool_calls?: boolean;
  /** Set by withStructuredOutput: constrain the whole response to this JSON Schema. */
  response_format?: { type: "json_schema"; schema: Record<string, unknown>; name?: string };
}
