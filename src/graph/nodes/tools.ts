import { type BaseMessage, isAIMessage, ToolMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { checkToolCalls } from "../check-calls.js";
import type { GraphContext } from "../context.js";
import { contentText, lastMessage, summarizeToolCalls } from "../messages.js";
import { elapsedSince, recordStep } from "../metrics.js";
import type { AgentStateType, AgentStateUpdate, ToolResultSummary } from "../state.js";

/** Runs one round of tool calls through the ToolNode and counts the round. */
export function createToolsNode(context: GraphContext) {
  return async function tools(
    state: AgentStateType,
    config: LangGraphRunnableConfig,
  ): Promise<AgentStateUpdate> {
    const toolNode = context.toolNode;
    if (!toolNode) throw new Error("The tools node ran in a graph without tools.");
    const started = performance.now();
    const proposal = lastMessage(state.messages);
    if (!proposal || !isAIMessage(proposal)) {
      throw new Error("The tools node ran without a model reply proposing calls.");
    }
    const { runnable, refused } = checkToolCalls(context.compiledTools, proposal);
    // The ToolNode runs the last message's calls and skips any that already have a result.
    const output: unknown = await toolNode.invoke(
      { ...state, messages: [...state.messages.slice(0, -1), runnable, ...refused] },
      config,
    );
    const byId = new Map(
      [...refused, ...toolMessagesOf(output)].map((message) => [message.tool_call_id, message]),
    );
    const messages = summarizeToolCalls(proposal)
      .map((call) => byId.get(call.id))
      .filter((message): message is ToolMessage => message !== undefined);
    const round = state.toolRounds + 1;
    const results: ToolResultSummary[] = messages.map((message) => ({
      id: message.tool_call_id,
      name: message.name ?? "",
      status: message.status === "error" ? "error" : "success",
      content: contentText(message),
      ms: Number(message.response_metadata?.durationMs ?? 0),
    }));
    const step = { node: "tools" as const, ms: elapsedSince(started), round, results };
    return { messages, toolRounds: round, ...recordStep(state, step) };
  };
}

function toolMessagesOf(output: unknown): ToolMessage[] {
  const messages =
    typeof output === "object" && output !== null && "messages" in output
      ? (output as { messages: BaseMessage[] }).messages
      : undefined;
  if (!messages?.every((m) => ToolMessage.isInstance(m))) {
    throw new Error(
      "A tool returned a LangGraph Command; Hearth's graph only accepts tools that return content.",
    );
  }
  return messages;
}
