import { AIMessage, type BaseMessage, isAIMessage, ToolMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { reviewCalls } from "../approval.js";
import { checkToolCalls } from "../check-calls.js";
import type { GraphContext } from "../context.js";
import { contentText, lastMessage, summarizeToolCalls } from "../messages.js";
import { elapsedSince, recordStep } from "../metrics.js";
import type { AgentStateType, AgentStateUpdate, ToolResultSummary } from "../state.js";

/**
 * Runs one round of tool calls through the ToolNode and counts the round. Calls that need
 * approval are shown to a person first (a LangGraph interrupt); see `reviewCalls`.
 */
export function createToolsNode(context: GraphContext) {
  return async function tools(
    state: AgentStateType,
    config: LangGraphRunnableConfig,
  ): Promise<AgentStateUpdate> {
    const toolNode = context.toolNode;
    if (!toolNode) throw new Error("The tools node ran in a graph without tools.");
    const started = performance.now();
    const proposed = lastMessage(state.messages);
    if (!proposed || !isAIMessage(proposed)) {
      throw new Error("The tools node ran without a model reply proposing calls.");
    }
    // Calls that cannot run (unreadable, arguments against the schema) are answered first;
    // only those that can are shown for approval.
    const { runnable, refused } = checkToolCalls(context.compiledTools, proposed);
    const { proposal, rejected } = reviewCalls(
      runnable,
      runnable.tool_calls ?? [],
      context.needsApproval,
      context.tools,
      config,
    );
    const answered = [...refused, ...rejected];
    // The ToolNode runs the last message's calls and skips any that already have a result.
    const output: unknown = await toolNode.invoke(
      { ...state, messages: [...state.messages.slice(0, -1), proposal, ...answered] },
      config,
    );
    const byId = new Map(
      [...answered, ...toolMessagesOf(output)].map((message) => [message.tool_call_id, message]),
    );
    const results = summarizeToolCalls(proposed)
      .map((call) => byId.get(call.id))
      .filter((message): message is ToolMessage => message !== undefined);
    // Edited arguments replace the proposal's in the thread (same message id), so call and
    // result agree; calls refused before review keep their place in it.
    const messages: BaseMessage[] =
      proposal === runnable ? results : [withEditedArgs(proposed, proposal), ...results];
    const round = state.toolRounds + 1;
    const summaries: ToolResultSummary[] = results.map((message) => ({
      id: message.tool_call_id,
      name: message.name ?? "",
      status: message.status === "error" ? "error" : "success",
      content: contentText(message),
      ms: Number(message.response_metadata?.durationMs ?? 0),
    }));
    const step = { node: "tools" as const, ms: elapsedSince(started), round, results: summaries };
    return { messages, toolRounds: round, ...recordStep(state, step) };
  };
}

function withEditedArgs(proposed: AIMessage, edited: AIMessage): AIMessage {
  const byId = new Map((edited.tool_calls ?? []).map((call) => [call.id, call]));
  return new AIMessage({
    id: proposed.id,
    content: proposed.content,
    tool_calls: (proposed.tool_calls ?? []).map((call) => byId.get(call.id) ?? call),
    invalid_tool_calls: proposed.invalid_tool_calls,
    response_metadata: proposed.response_metadata,
    usage_metadata: proposed.usage_metadata,
    additional_kwargs: proposed.additional_kwargs,
  });
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
