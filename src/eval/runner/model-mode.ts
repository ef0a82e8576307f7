import type { AIMessage } from "@langchain/core/messages";
import { ToolDefinitionError } from "../../tools/index.js";
import { type EmittedCall, scoreCalls } from "../scoring/index.js";
import type { EvalCase } from "../suite-format/types.js";
import { BindError, baseResult, shorten } from "./case-result.js";
import { toLangChainMessages } from "./messages.js";
import type { CaseResult, EvalChatModel, EvalToolChoice, IsolatedTool } from "./types.js";

function messageText(message: AIMessage): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((part) => (typeof part === "string" ? part : "text" in part ? String(part.text) : ""))
    .join("");
}

/**
 * Binds the case's tools. A tool the model rejects at bind time (Hearth's compiler names it) is
 * left out with its reason and the rest are bound, as a caller would; only when none is left, or
 * the model rejects the set as a whole, does the case fail, as a bind failure.
 */
function bindCaseTools(
  model: EvalChatModel,
  testCase: EvalCase,
  options: Record<string, unknown>,
): { bound: ReturnType<NonNullable<EvalChatModel["bindTools"]>>; isolated: IsolatedTool[] } {
  let tools = testCase.tools;
  const isolated: IsolatedTool[] = [];
  for (;;) {
    try {
      return { bound: model.bindTools!(tools, options), isolated };
    } catch (error) {
      const name = error instanceof ToolDefinitionError ? error.toolName : undefined;
      const rest = tools.filter((tool) => tool.function.name !== name);
      if (name === undefined || rest.length === tools.length || rest.length === 0) {
        throw new BindError((error as Error).message, { cause: error });
      }
      isolated.push({ name, reason: (error as Error).message });
      tools = rest;
    }
  }
}

/** One model call with the case's tools bound; its `tool_calls` are scored. */
export async function runModelCase(
  model: EvalChatModel,
  testCase: EvalCase,
  toolChoice: EvalToolChoice,
  signal?: AbortSignal,
  parallelToolCalls = true,
): Promise<CaseResult> {
  // OpenAI's default is parallel calls; without it a forced choice yields exactly one call and
  // every parallel case fails by construction.
  const { bound, isolated } = bindCaseTools(model, testCase, {
    tool_choice: toolChoice,
    parallel_tool_calls: parallelToolCalls,
  });
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
  if (isolated.length > 0) result.isolatedTools = isolated;
  if (text.trim()) result.text = shorten(text.trim());
  if (reply.usage_metadata) result.outputTokens = reply.usage_metadata.output_tokens;
  return result;
}
