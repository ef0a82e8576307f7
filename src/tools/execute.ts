import { ToolMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { RunnableConfig } from "@langchain/core/runnables";
import { type CompiledToolSet, compileTools } from "./compile/compile-tools.js";
import type { ToolLike } from "./compile/tool-input.js";

function errorMessage(call: ToolCall, name: string, text: string): ToolMessage {
  return new ToolMessage({ content: text, tool_call_id: call.id ?? "", name, status: "error" });
}

/**
 * Runs one tool call the way an agent loop needs it: arguments are validated against the tool's
 * real schema first, and every failure (unknown tool, invalid arguments, the tool throwing or
 * timing out) comes back as an error `ToolMessage` for the model to read, never as an exception.
 * Only the caller's own abort is rethrown.
 */
export async function executeToolCall(
  tools: CompiledToolSet | readonly ToolLike[],
  call: ToolCall,
  config?: RunnableConfig,
): Promise<ToolMessage> {
  const set = "resolveCall" in tools ? tools : compileTools(tools);
  const tool = set.get(call.name) ?? set.get(set.toolNameFromModel(call.name) ?? "");
  if (!tool) {
    const names = set.tools.map((candidate) => candidate.name).join(", ");
    return errorMessage(
      call,
      call.name,
      `Error: there is no tool "${call.name}". Tools: ${names}.`,
    );
  }
  const checked = tool.validate(call.args);
  if (!checked.ok) {
    return errorMessage(
      call,
      tool.name,
      `Error: ${checked.error}. Fix the arguments and call again.`,
    );
  }
  if (!tool.runnable) {
    return errorMessage(
      call,
      tool.name,
      `Error: tool "${tool.name}" has no implementation here (it was given as a definition only).`,
    );
  }
  try {
    const output: unknown = await tool.runnable.invoke(
      {
        ...call,
        name: tool.name,
        args: checked.value as Record<string, unknown>,
        type: "tool_call",
      },
      config,
    );
    if (ToolMessage.isInstance(output)) return output;
    const content = typeof output === "string" ? output : JSON.stringify(output);
    return new ToolMessage({ content, tool_call_id: call.id ?? "", name: tool.name });
  } catch (error) {
    if (config?.signal?.aborted) throw error;
    const text = error instanceof Error ? error.message : String(error);
    return errorMessage(call, tool.name, `Error: ${text}`);
  }
}
