import type { AIMessage, AIMessageChunk, UsageMetadata } from "@langchain/core/messages";
import type { CompiledToolSchema } from "../tools/index.js";
import { HttpError } from "./errors.js";

// What ChatNodeLlamaCpp's AIMessage becomes in OpenAI's chat.completion and
// chat.completion.chunk objects.

export type FinishReason = "stop" | "length" | "tool_calls";

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

type Reply = AIMessage | AIMessageChunk;

function stopReason(reply: Reply): unknown {
  return reply.response_metadata?.stopReason;
}

/** Whether generation ended on the token limit rather than on its own. */
export function hitTokenLimit(reply: Reply): boolean {
  return stopReason(reply) === "maxTokens" || (reply.invalid_tool_calls ?? []).length > 0;
}

export function finishReason(reply: Reply): FinishReason {
  // A forced call the token limit closed (complete and valid, see closeJson) still ended on it.
  if (reply.response_metadata?.closedAtBudget === true) return "length";
  if ((reply.tool_calls ?? []).length > 0) return "tool_calls";
  return hitTokenLimit(reply) ? "length" : "stop";
}

export function toolCallsOf(reply: Reply): OpenAIToolCall[] {
  return (reply.tool_calls ?? []).map((call) => ({
    id: call.id ?? "",
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }));
}

/**
 * The reply's text. A forced call cut off by the token limit is not a call (its JSON is
 * incomplete); its text is returned as content with finish_reason "length" rather than dropped.
 */
export function contentOf(reply: Reply): string {
  const text = typeof reply.content === "string" ? reply.content : "";
  const cut = (reply.invalid_tool_calls ?? []).map((call) => call.args ?? "").join("");
  return text + cut;
}

export function usageOf(usage: UsageMetadata | undefined): OpenAIUsage {
  const prompt = usage?.input_tokens ?? 0;
  const completion = usage?.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.input_token_details?.cache_read ?? 0 },
  };
}

/**
 * The grammar makes a `response_format` reply schema-shaped while it is generated; keywords the
 * grammar cannot express are checked here, after. A reply that ended on its own and still fails
 * is the server's failure (500), never a 200 with invalid JSON.
 */
export function checkStructuredOutput(text: string, schema: CompiledToolSchema): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(
      500,
      `The response_format output is not complete JSON: ${text.slice(0, 120)}`,
      "server_error",
      { code: "invalid_output" },
    );
  }
  const checked = schema.validate(value);
  if (!checked.ok) {
    throw new HttpError(
      500,
      `The response_format output failed the schema's post-generation checks: ${checked.error}`,
      "server_error",
      { code: "invalid_output" },
    );
  }
}

export function completionObject(identity: CompletionIdentity, reply: AIMessage) {
  const toolCalls = toolCallsOf(reply);
  const content = contentOf(reply);
  return {
    id: identity.id,
    object: "chat.completion" as const,
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          content: content === "" && toolCalls.length > 0 ? null : content,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usageOf(reply.usage_metadata),
  };
}

export function chunkObject(
  identity: CompletionIdentity,
  delta: Record<string, unknown>,
  finish: FinishReason | null,
  withUsageField: boolean,
) {
  return {
    id: identity.id,
    object: "chat.completion.chunk" as const,
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    // With stream_options.include_usage every chunk carries `usage: null` until the last one.
    ...(withUsageField ? { usage: null } : {}),
  };
}

export function usageChunkObject(identity: CompletionIdentity, usage: OpenAIUsage) {
  return {
    id: identity.id,
    object: "chat.completion.chunk" as const,
    created: identity.created,
    model: identity.model,
    choices: [],
    usage,
  };
}
