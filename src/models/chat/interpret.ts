import type { InvalidToolCall, ToolCall, UsageMetadata } from "@langchain/core/messages";
import type { ResolvedToolCall } from "../../tools/index.js";
import type { CallPlan } from "./call-plan.js";
import type { Generation } from "./generate.js";
import { parseNativeCalls } from "./native-calls.js";

/** A generation read as LangChain sees it: content, tool calls, usage and response metadata. */
export interface CallResult {
  text: string;
  thoughts: string;
  toolCalls: ToolCall[];
  invalidToolCalls: InvalidToolCall[];
  usage: UsageMetadata;
  metadata: Record<string, unknown>;
}

let callCounter = 0;
export function newToolCallId(): string {
  callCounter = (callCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `call_${Date.now().toString(36)}${callCounter.toString(36)}`;
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

/** Tool calls from a forced call's JSON text (parsed, mapped to the caller's tools, validated). */
function forcedCalls(generation: Generation, plan: CallPlan, result: CallResult): void {
  if (!plan.callGrammar || !plan.tools) return;
  const raw = generation.text;
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
      error: `The forced tool call is not complete JSON (generation stopped after ${generation.stopReason}; raise maxTokens or bound string lengths with maxLength).`,
    });
  }
  // Parsed calls go out even when an argument fails validation (see toToolCall).
  if (value !== undefined) result.toolCalls.push(...plan.tools.parseCalls(value).map(toToolCall));
}

/**
 * Under tool_choice "auto", calls node-llama-cpp did not detect while generating but the text
 * holds in one of the forms the model's template teaches (see native-calls.ts).
 */
function nativeCalls(generation: Generation, plan: CallPlan, result: CallResult): void {
  if (!plan.functions || !plan.tools || generation.functionCalls.length > 0) return;
  const tools = plan.tools;
  const found = parseNativeCalls(generation.text, Object.keys(plan.functions));
  if (!found) return;
  result.text = found.content;
  for (const call of found.calls)
    result.toolCalls.push(toToolCall(tools.resolveCall(call.name, call.args)));
}

export function interpretGeneration(
  generation: Generation,
  plan: CallPlan,
  modelFile: string,
): CallResult {
  const { promptTokens, evaluatedPromptTokens, outputTokens } = generation;
  const result: CallResult = {
    text: generation.text,
    thoughts: generation.thoughts,
    toolCalls: [],
    invalidToolCalls: [],
    usage: {
      input_tokens: promptTokens,
      output_tokens: outputTokens,
      total_tokens: promptTokens + outputTokens,
      input_token_details: { cache_read: promptTokens - evaluatedPromptTokens },
    },
    metadata: {},
  };
  forcedCalls(generation, plan, result);
  nativeCalls(generation, plan, result);
  for (const call of generation.functionCalls) {
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
  result.metadata = {
    model: modelFile,
    stopReason: generation.stopReason,
    finish_reason: result.toolCalls.length > 0 ? "tool_calls" : generation.stopReason,
    sequence: generation.sequence,
    decoding: generation.decoding,
    prefix: generation.prefix,
    promptTokens,
    evaluatedPromptTokens,
    outputTokens,
    sampledTokens: generation.sampledTokens,
    fedTokens: generation.fedTokens,
    // A forced call or structured output that reached maxTokens and was closed there.
    ...(generation.closedAtBudget ? { closedAtBudget: true } : {}),
    promptFormat: generation.promptFormat,
    timings: generation.timings,
  };
  return result;
}

/** The fields of the AIMessage (or closing AIMessageChunk) a result becomes. */
export function messageFields(result: CallResult) {
  return {
    content: result.text,
    invalid_tool_calls: result.invalidToolCalls,
    usage_metadata: result.usage,
    response_metadata: result.metadata,
    additional_kwargs: result.thoughts ? { reasoning_content: result.thoughts } : {},
  };
}
