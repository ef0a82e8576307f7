import { type BaseMessage, ToolMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { GraphContext } from "../context.js";
import { contentText, lastMessage, summarizeToolCalls, unparsedCalls } from "../messages.js";
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
    const unparsed = unparsedCalls(proposal).map(
      (call) =>
        new ToolMessage({
          status: "error",
          name: call.name,
          tool_call_id: call.id,
          content: `Error: this call could not be read (${call.error}). Please fix your mistakes.`,
        }),
    );
    // The ToolNode skips calls that already have a result, so it runs only the readable ones.
    const output: unknown = await toolNode.invoke(
      { ...state, messages: [...state.messages, ...unparsed] },
      config,
    );
    const byId = new Map(
      [...unparsed, ...toolMessagesOf(output)].map((message) => [message.tool_call_id, message]),
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
