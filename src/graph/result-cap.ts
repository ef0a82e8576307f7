import { ToolMessage } from "@langchain/core/messages";

/**
 * Characters of one tool result kept in the history by default: as many as the context has
 * tokens, about a quarter of the context at ~4 characters per token. The history is re-read on
 * every step of a turn, so one large result would otherwise be tokenized again and again (and
 * crowd out everything else).
 */
export function defaultMaxToolResultChars(contextSize: number): number {
  return contextSize;
}

/** What `response_metadata.truncated` holds on a result that was cut. */
export interface TruncatedResult {
  originalChars: number;
  shownChars: number;
}

const formatCount = (n: number) => n.toLocaleString("en-US");

/**
 * The result as the history keeps it: unchanged when it fits; otherwise its first `maxChars`
 * characters and a marker telling the model it was cut and how large it was. The whole result
 * is not kept in the thread (every checkpoint would write it again: a 10 MB result made each
 * step seconds slower even after the cut); the app receives it as LangChain delivers every tool
 * result, through the callbacks' `handleToolEnd`, before the cut. A `content_and_artifact`
 * tool's own artifact stays on the message. Content blocks (images and such) are left alone.
 */
export function capToolResult(message: ToolMessage, maxChars: number): ToolMessage {
  const content = message.content;
  if (typeof content !== "string" || content.length <= maxChars) return message;
  const shown = content.slice(0, maxChars);
  const marker = `\n\n[Result cut: the first ${formatCount(shown.length)} of ${formatCount(content.length)} characters are shown. The full result went to the app, not into this conversation; if you need more, ask the tool for less at a time.]`;
  const truncated: TruncatedResult = { originalChars: content.length, shownChars: shown.length };
  return new ToolMessage({
    id: message.id,
    name: message.name,
    tool_call_id: message.tool_call_id,
    status: message.status,
    metadata: message.metadata,
    content: shown + marker,
    artifact: message.artifact,
    response_metadata: { ...message.response_metadata, truncated },
  });
}
