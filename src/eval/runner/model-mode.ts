import type { AIMessage } from "@langchain/core/messages";
import { type EmittedCall, scoreCalls } from "../scoring/index.js";
import type { EvalCase } from "../suite-format/types.js";
import { baseResult, shorten } from "./case-result.js";
import { toLangChainMessages } from "./messages.js";
import type { CaseResult, EvalChatModel, EvalToolChoice } from "./types.js";

function messageText(message: AIMessage): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((part) => (typeof part === "string" ? part : "text" in part ? String(part.text) : ""))
    .join("");
}

/** One model call with the case's tools bound; its `tool_calls` are scored. */
export async function runModelCase(
  model: EvalChatModel,
  testCase: EvalCase,
  toolChoice: EvalToolChoice,
  signal?: AbortSignal,
): Promise<CaseResult> {
  const bound = model.bindTools!(testCase.tools, { tool_choice: toolChoice });
  const messages = toLangChainMessages(testCase.messages);
  const started = performance.now();
  const reply = (await bound.invoke(messages, { signal })) as AIMessage;
  const latencyMs = performance.now() - started;
  const calls: EmittedCall[] = (reply.tool_calls ?? []).map((call) => ({
    name: call.name,
    args: call.args ?? {},
  }));
  const invalid = reply.invalid_tool_calls ?? [];
  const invalidCalls = invalid.length;
  // An unparseable call is still a call: with it present the answer cannot be right.
  const score =
    invalidCalls > 0
      ? { passed: false, reason: `${invalidCalls} tool call(s) with unparseable arguments` }
      : scoreCalls(testCase, calls);
  const text = messageText(reply);
  const result: CaseResult = {
    ...baseResult(testCase, calls, invalid),
    passed: score.passed,
    rounds: 1,
    latencyMs,
  };
  if (score.reason) result.reason = score.reason;
  if (text.trim()) result.text = shorten(text.trim());
  if (reply.usage_metadata) result.outputTokens = reply.usage_metadata.output_tokens;
  return result;
}
