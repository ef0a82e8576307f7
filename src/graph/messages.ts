import {
  AIMessage,
  type BaseMessage,
  isAIMessage,
  isHumanMessage,
  type MessageContent,
} from "@langchain/core/messages";
import type { ToolCallSummary } from "./state.js";

export function lastMessage(messages: BaseMessage[]): BaseMessage | undefined {
  return messages[messages.length - 1];
}

export function hasToolCalls(message: BaseMessage | undefined): message is AIMessage {
  return message !== undefined && isAIMessage(message) && (message.tool_calls?.length ?? 0) > 0;
}

/** An AI reply without tool calls: an answer (draft until `respond` finalises it). */
export function isDraft(message: BaseMessage | undefined): message is AIMessage {
  return message !== undefined && isAIMessage(message) && !hasToolCalls(message);
}

/** Messages of the current turn: from the latest human message on. */
export function currentTurn(messages: BaseMessage[]): BaseMessage[] {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (isHumanMessage(messages[i])) return messages.slice(i);
  }
  return messages;
}

/**
 * A plain `AIMessage` from a model reply (models return chunks), optionally without its tool
 * calls: once the round cap is reached a proposed call is dropped, never run and never left
 * dangling in the history without its result.
 */
export function toAIMessage(
  reply: BaseMessage,
  options: { dropToolCalls?: boolean } = {},
): AIMessage {
  const ai = isAIMessage(reply) ? reply : undefined;
  return new AIMessage({
    id: reply.id,
    content: reply.content,
    tool_calls: options.dropToolCalls ? [] : (ai?.tool_calls ?? []),
    invalid_tool_calls: options.dropToolCalls ? [] : (ai?.invalid_tool_calls ?? []),
    usage_metadata: ai?.usage_metadata,
    response_metadata: reply.response_metadata,
    additional_kwargs: options.dropToolCalls ? {} : reply.additional_kwargs,
  });
}

export function appendText(content: MessageContent, text: string): MessageContent {
  if (typeof content === "string") return content.length > 0 ? `${content}\n\n${text}` : text;
  return [...content, { type: "text", text: `\n\n${text}` }];
}

export function summarizeToolCalls(message: BaseMessage | undefined): ToolCallSummary[] {
  if (!hasToolCalls(message)) return [];
  return (message.tool_calls ?? []).map((call) => ({
    id: call.id ?? "",
    name: call.name,
    args: call.args,
  }));
}

export function contentText(message: BaseMessage | undefined): string {
  if (!message) return "";
  const { content } = message;
  if (typeof content === "string") return content;
  return content
    .map((block) => (typeof block === "string" ? block : "text" in block ? String(block.text) : ""))
    .join("");
}
