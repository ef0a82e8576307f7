import type { Serialized } from "@langchain/core/load/serializable";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatGeneration, LLMResult } from "@langchain/core/outputs";

/** What a chat model was asked, read from LangChain's start callback (works for any chat model). */
export interface ModelRequest {
  /** Short model name: a GGUF path or `hf:` URI becomes its file name without `.gguf`. */
  model: string;
  /** LangChain's `ls_provider` ("node-llama-cpp", "openai", …). */
  provider: string;
  temperature?: number;
  maxTokens?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  stop?: string[];
  /** "json" when the call is constrained to a schema (structured output), else "text". */
  outputType: "text" | "json";
}

/** What came back, read from LangChain's end callback. */
export interface ModelResponse {
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Prompt tokens served from a cache (`input_token_details.cache_read`). */
  cachedInputTokens?: number;
  /**
   * Prompt tokens the model actually evaluated, when it reports them (ChatNodeLlamaCpp: the rest
   * of the prompt was reused from the KV cache of a matching prefix).
   */
  evaluatedPromptTokens?: number;
  promptTokens?: number;
  /** Time the call waited for a free context sequence (ChatNodeLlamaCpp's `timings.queueMs`). */
  queueSeconds?: number;
  finishReasons: string[];
  /** Answered from the chat model's response cache (LangChain passes `cached: true`). */
  cached: boolean;
}

type Dict = Record<string, unknown>;

const asNumber = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

const asStrings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === "string") && value.length > 0
    ? value
    : undefined;

/** A model file path or `hf:` URI names the model by its file; other names pass through. */
export function modelLabel(name: string): string {
  const file = name.split(/[\\/]/).at(-1) ?? name;
  return /\.gguf$/i.test(file) ? file.replace(/\.gguf$/i, "") : name;
}

/** The last element of a serialized class id ("ChatNodeLlamaCpp", "ChatOpenAI", …). */
export function serializedName(serialized: Serialized | undefined): string | undefined {
  const id = (serialized as { id?: unknown } | undefined)?.id;
  return Array.isArray(id) && typeof id.at(-1) === "string" ? (id.at(-1) as string) : undefined;
}

export function readModelRequest(
  llm: Serialized,
  extraParams: Dict | undefined,
  metadata: Dict | undefined,
): ModelRequest {
  const params = (extraParams?.invocation_params ?? {}) as Dict;
  const options = (extraParams?.options ?? {}) as Dict;
  const name =
    (typeof metadata?.ls_model_name === "string" && metadata.ls_model_name) ||
    (typeof params.model === "string" && params.model) ||
    (typeof params.model_name === "string" && params.model_name) ||
    serializedName(llm) ||
    "unknown";
  return {
    model: modelLabel(name),
    provider:
      (typeof metadata?.ls_provider === "string" && metadata.ls_provider) ||
      serializedName(llm) ||
      "unknown",
    temperature: asNumber(metadata?.ls_temperature) ?? asNumber(params.temperature),
    maxTokens:
      asNumber(metadata?.ls_max_tokens) ??
      asNumber(params.maxTokens) ??
      asNumber(params.max_tokens),
    topK: asNumber(params.topK) ?? asNumber(params.top_k),
    topP: asNumber(params.topP) ?? asNumber(params.top_p),
    seed: asNumber(params.seed),
    stop: asStrings(metadata?.ls_stop) ?? asStrings(params.stop),
    outputType: options.response_format || params.response_format ? "json" : "text",
  };
}

// node-llama-cpp's stop reasons in the vocabulary OpenAI-style clients (and the GenAI
// conventions' examples) use; anything else passes through unchanged.
const FINISH_REASONS: Record<string, string> = {
  eogToken: "stop",
  stopGenerationTrigger: "stop",
  customStopTrigger: "stop",
  maxTokens: "length",
  functionCalls: "tool_calls",
  abort: "cancelled",
};

export function finishReason(raw: unknown): string | undefined {
  if (typeof raw !== "string" || raw === "") return undefined;
  return FINISH_REASONS[raw] ?? raw;
}

function messageOf(generation: unknown): (BaseMessage & Dict) | undefined {
  const message = (generation as ChatGeneration | undefined)?.message;
  return message && typeof message === "object" ? (message as BaseMessage & Dict) : undefined;
}

export function readModelResponse(output: LLMResult, extraParams?: Dict): ModelResponse {
  const generations = output.generations.flat();
  const response: ModelResponse = {
    finishReasons: [],
    cached: extraParams?.cached === true,
  };
  let inputTokens = 0;
  let outputTokens = 0;
  let cachedTokens = 0;
  let evaluated = 0;
  let prompt = 0;
  let sawUsage = false;
  let sawCache = false;
  let sawEvaluated = false;
  for (const generation of generations) {
    const message = messageOf(generation);
    const metadata = (message?.response_metadata ?? {}) as Dict;
    const info = ((generation as { generationInfo?: Dict }).generationInfo ?? {}) as Dict;
    const toolCalls = (message?.tool_calls as unknown[] | undefined) ?? [];
    const reason =
      toolCalls.length > 0
        ? "tool_calls"
        : finishReason(metadata.finish_reason ?? info.finish_reason ?? metadata.stopReason);
    if (reason) response.finishReasons.push(reason);
    response.model ??=
      typeof metadata.model === "string"
        ? modelLabel(metadata.model)
        : typeof metadata.model_name === "string"
          ? modelLabel(metadata.model_name)
          : undefined;
    const usage = message?.usage_metadata as Dict | undefined;
    if (usage) {
      sawUsage = true;
      inputTokens += asNumber(usage.input_tokens) ?? 0;
      outputTokens += asNumber(usage.output_tokens) ?? 0;
      const cacheRead = asNumber((usage.input_token_details as Dict | undefined)?.cache_read);
      if (cacheRead !== undefined) {
        sawCache = true;
        cachedTokens += cacheRead;
      }
    }
    const queueMs = asNumber((metadata.timings as Dict | undefined)?.queueMs);
    if (queueMs !== undefined)
      response.queueSeconds = (response.queueSeconds ?? 0) + queueMs / 1000;
    const evaluatedHere = asNumber(metadata.evaluatedPromptTokens);
    const promptHere = asNumber(metadata.promptTokens);
    if (evaluatedHere !== undefined && promptHere !== undefined) {
      sawEvaluated = true;
      evaluated += evaluatedHere;
      prompt += promptHere;
    }
  }
  if (!sawUsage) {
    // Older integrations report usage only in llmOutput (camelCase, OpenAI-style).
    const legacy = (output.llmOutput?.tokenUsage ?? output.llmOutput?.estimatedTokenUsage) as
      | Dict
      | undefined;
    if (legacy) {
      sawUsage = true;
      inputTokens = asNumber(legacy.promptTokens) ?? 0;
      outputTokens = asNumber(legacy.completionTokens) ?? 0;
    }
  }
  if (sawUsage) {
    response.inputTokens = inputTokens;
    response.outputTokens = outputTokens;
  }
  if (sawCache) response.cachedInputTokens = cachedTokens;
  if (sawEvaluated) {
    response.evaluatedPromptTokens = evaluated;
    response.promptTokens = prompt;
  }
  return response;
}

/** A low-cardinality name for an error (`error.type`): its class name, else "_OTHER". */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    if (error.name && error.name !== "Error") return error.name;
    const ctor = error.constructor?.name;
    if (ctor && ctor !== "Error") return ctor;
  }
  return "_OTHER";
}
