import { type AIMessage, type BaseMessage, ToolMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { reviewCalls } from "../approval.js";
import type { GraphContext } from "../context.js";
import { contentText, lastMessage, summarizeToolCalls, unparsedCalls } from "../messages.js";
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
    const proposed = lastMessage(state.messages) as AIMessage;
    const unparsed = unparsedCalls(proposed).map(
      (call) =>
        new ToolMessage({
          status: "error",
          name: call.name,
          tool_call_id: call.id,
          content: `Error: this call could not be read (${call.error}). Please fix your mistakes.`,
        }),
    );
    const unreadable = new Set(unparsed.map((message) => message.tool_call_id));
    const readable = (proposed.tool_calls ?? []).filter((call) => !unreadable.has(call.id ?? ""));
    const { proposal, rejected } = reviewCalls(
      proposed,
      readable,
      context.needsApproval,
      context.tools,
      config,
    );
    const history =
      proposal === proposed ? state.messages : [...state.messages.slice(0, -1), proposal];
    const answered = [...unparsed, ...rejected];
    // The ToolNode skips calls that already have a result, so it runs only the readable,
    // not rejected ones.
    const output: unknown = await toolNode.invoke(
      { ...state, messages: [...history, ...answered] },
      config,
    );
    const byId = new Map(
      [...answered, ...toolMessagesOf(output)].map((message) => [message.tool_call_id, message]),
    );
    const results = summarizeToolCalls(proposal)
      .map((call) => byId.get(call.id))
      .filter((message): message is ToolMessage => message !== undefined);
    // An edited proposal replaces the one in the thread (same id), so call and result agree.
    const messages: BaseMessage[] = proposal === proposed ? results : [proposal, ...results];
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
