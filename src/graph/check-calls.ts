import { AIMessage, ToolMessage } from "@langchain/core/messages";
import type { CompiledToolSet } from "../tools/index.js";
import { unparsedCalls } from "./messages.js";

export interface CheckedCalls {
  /** The proposal with only the calls that may run, their arguments as the schema resolved them. */
  runnable: AIMessage;
  /** One error result per call that may not run, for the model to read. */
  refused: ToolMessage[];
}

function refusal(id: string, name: string, text: string): ToolMessage {
  return new ToolMessage({ status: "error", name, tool_call_id: id, content: text });
}

/**
 * Checks every proposed call against the tools' compiled schemas before any tool runs, whatever
 * model proposed it: a local model's grammar already kept it valid, but a remote engine (an
 * OpenAI-compatible server) may not enforce every keyword, or may ignore the schema. Calls that
 * did not parse, or whose arguments fail the schema, become error results the model reads;
 * the others run with the resolved arguments (the `null`s strict JSON-schema modes send for
 * omitted optional arguments removed). Unknown tool names are left to the ToolNode, which
 * answers them with the list of tools.
 */
export function checkToolCalls(tools: CompiledToolSet, proposal: AIMessage): CheckedCalls {
  const refused: ToolMessage[] = unparsedCalls(proposal).map((call) =>
    refusal(
      call.id,
      call.name,
      `Error: this call could not be read (${call.error}). Please fix your mistakes.`,
    ),
  );
  const skipped = new Set(refused.map((message) => message.tool_call_id));
  const calls = [];
  for (const call of proposal.tool_calls ?? []) {
    const id = call.id ?? "";
    if (skipped.has(id)) continue;
    const tool = tools.get(call.name);
    if (!tool) {
      calls.push(call);
      continue;
    }
    const resolved = tools.resolveCall(tool.modelName, call.args);
    if (!resolved.validation.ok) {
      refused.push(
        refusal(
          id,
          call.name,
          `Error: ${resolved.validation.error}. Fix the arguments and call again.`,
        ),
      );
      continue;
    }
    calls.push({ ...call, args: resolved.validation.value as Record<string, unknown> });
  }
  const runnable = new AIMessage({
    id: proposal.id,
    content: proposal.content,
    tool_calls: calls,
    response_metadata: proposal.response_metadata,
  });
  return { runnable, refused };
}
