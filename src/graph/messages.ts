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

/** Where a call that did not parse keeps its error, in the AIMessage's `response_metadata`. */
export const UNPARSED_CALLS_KEY = "hearthUnparsedToolCalls";

export interface UnparsedCall {
  id: string;
  name: string;
  error: string;
}

/**
 * A plain `AIMessage` from a model reply (models return chunks).
 *
 * - `dropToolCalls`: once the round cap is reached a proposed call is dropped: never run, and
 *   never left dangling in the history without a result.
 * - Calls the model started but that did not parse (`invalid_tool_calls`) become ordinary tool
 *   calls, their errors kept under `UNPARSED_CALLS_KEY`: the tools node answers them with an
 *   error ToolMessage, so the model sees what went wrong, the round counts, and every result
 *   still has its call (providers reject results without one).
 */
export function toAIMessage(
  reply: BaseMessage,
  options: { dropToolCalls?: boolean } = {},
): AIMessage {
  const ai = isAIMessage(reply) ? reply : undefined;
  const unparsed: UnparsedCall[] = options.dropToolCalls
    ? []
    : (ai?.invalid_tool_calls ?? []).map((call, index) => ({
        id: call.id ?? `${reply.id ?? "call"}-unparsed-${index}`,
        name: call.name ?? "unknown",
        error: call.error ?? `the call's arguments did not parse: ${call.args ?? ""}`,
      }));
  const toolCalls = options.dropToolCalls
    ? []
    : [
        ...(ai?.tool_calls ?? []),
        ...unparsed.map((call) => ({
          id: call.id,
          name: call.name,
          args: {},
          type: "tool_call" as const,
        })),
      ];
  const responseMetadata =
    unparsed.length > 0
      ? { ...reply.response_metadata, [UNPARSED_CALLS_KEY]: unparsed }
      : reply.response_metadata;
  return new AIMessage({
    id: reply.id,
    content: reply.content,
    tool_calls: toolCalls,
    usage_metadata: ai?.usage_metadata,
    response_metadata: responseMetadata,
    additional_kwargs: options.dropToolCalls ? {} : reply.additional_kwargs,
  });
}

export function unparsedCalls(message: BaseMessage | undefined): UnparsedCall[] {
  const metadata = message?.response_metadata as Record<string, unknown> | undefined;
  const value = metadata?.[UNPARSED_CALLS_KEY];
  return Array.isArray(value) ? (value as UnparsedCall[]) : [];
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
