import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { EmittedCall } from "../scoring/calls.js";
import type { EvalCategory, EvalSuite } from "../suite-format/types.js";

/** Any LangChain chat model, whatever its own call options (ChatNodeLlamaCpp narrows tool_choice). */
// biome-ignore lint/suspicious/noExplicitAny: the call-options type parameter must accept every model's own.
export type EvalChatModel = BaseChatModel<any, any>;

export type EvalMode = "model" | "graph";
export type EvalToolChoice = "auto" | "required";

/** What the report says about the model; passed through as the caller gives it. */
export interface ModelInfo {
  /** Path of the GGUF file, or the URI it was pulled from. */
  file?: string;
  name?: string;
  sizeBytes?: number;
  /** GGUF metadata (general.*, architecture numbers...), as read from the file. */
  metadata?: Record<string, unknown>;
  /** True for files Hearth's test-model writer generated: their accuracy is chance. */
  randomWeights?: boolean;
}

export interface EvalProgress {
  done: number;
  total: number;
  result: CaseResult;
}

export interface RunEvalOptions {
  /** Any LangChain chat model with `bindTools` (ChatNodeLlamaCpp, ChatOpenAI, fakes...). */
  model: EvalChatModel;
  suite: EvalSuite;
  /** `model`: one call per case, tools bound. `graph`: the full Hearth agent graph per case. Default model. */
  mode?: EvalMode;
  /** Model mode only (the graph chooses its own). Default auto. */
  toolChoice?: EvalToolChoice;
  /** Model mode: `parallel_tool_calls` for every case (OpenAI's default, true), so parallel categories can pass. */
  parallelToolCalls?: boolean;
  /** Run at most this many cases, taken round-robin across categories so every category is sampled. */
  limit?: number;
  onProgress?: (progress: EvalProgress) => void;
  /** Copied into the report. */
  modelInfo?: ModelInfo;
  signal?: AbortSignal;
}

/** A tool the model refused at bind time; the case ran with the others. */
export interface IsolatedTool {
  name: string;
  reason: string;
}

export interface RouteResult {
  expected: "tools" | "direct";
  got: "tools" | "direct";
  correct: boolean;
}

export interface CaseResult {
  id: string;
  category: EvalCategory;
  passed: boolean;
  /** Why the case failed. */
  reason?: string;
  /** The acceptable answer(s), readable. */
  expected: string;
  /** What the model did, readable. */
  got: string;
  /** Calls the model emitted that parsed (in graph mode: over all rounds). */
  calls: EmittedCall[];
  /** Emitted calls whose arguments did not even parse. */
  invalidCalls: number;
  /** Emitted calls that named an offered tool and validated against its JSON Schema. */
  schemaValidCalls: number;
  schemaErrors?: string[];
  /** The model's text, shortened. */
  text?: string;
  route?: RouteResult;
  /** Graph mode: the final answer, shortened. */
  answer?: string;
  /** Model calls with tools (model mode: always 1) or the graph's tool rounds. */
  rounds: number;
  latencyMs: number;
  outputTokens?: number;
  /** Set when the case threw; the case counts as failed and its latency is left out of the percentiles. */
  error?: string;
  /** `bind` when the case's tools could not be bound, so no model call was made. */
  failedAt?: "bind" | "call";
  /** Tools left out because the model refused them at bind time. */
  isolatedTools?: IsolatedTool[];
}

export interface CategorySummary {
  n: number;
  passed: number;
  accuracy: number;
}

export interface EvalSummary {
  cases: number;
  passed: number;
  accuracy: number;
  /** Emitted calls that parsed and validated, over all emitted calls; null when none was emitted. */
  schemaValidRate: number | null;
  emittedCalls: number;
  schemaValidCalls: number;
  byCategory: Partial<Record<EvalCategory, CategorySummary>>;
  /** Graph mode only. */
  routeAccuracy: number | null;
  rounds: { mean: number; max: number };
  /** Over the cases that got a reply; cases that threw (`errors`, `bindErrors`) are left out. */
  latencyMs: { p50: number; p95: number; mean: number };
  /** Output tokens over the time of the cases that reported usage; null when none did. */
  tokensPerSecond: number | null;
  outputTokens: number;
  peakRssBytes: number;
  errors: number;
  /** Cases whose tools could not be bound at all (part of `errors`). */
  bindErrors: number;
  /** Tools left out of their case at bind time, over all cases. */
  isolatedTools: number;
}

export interface EvalReport {
  createdAt: string;
  model: ModelInfo;
  suite: { name: string; source: string; totalCases: number; selectedCases: number };
  options: {
    mode: EvalMode;
    toolChoice: EvalToolChoice;
    parallelToolCalls: boolean;
    limit: number | null;
  };
  summary: EvalSummary;
  /** Caveats the reader must see: chance accuracy, tool-choice effects... */
  notes: string[];
  results: CaseResult[];
}
