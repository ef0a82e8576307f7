import type { BaseMessage } from "@langchain/core/messages";

/** Thrown when a message holds content a text-only model cannot read (images, audio, files…). */
export class UnsupportedContentError extends Error {
  override name = "UnsupportedContentError";
}

const TEXT_TYPES = new Set(["text", "text_delta"]);

/**
 * Checks that every content block is one a text-only GGUF model can read: text, or a `tool_use`
 * block that repeats one of its AI message's own `tool_calls` (Anthropic-style histories carry
 * both; the call is what the model sees). Anything else is refused, naming the block and the
 * message, unless the caller opted in to dropping it (then the history says it was omitted).
 */
export function checkReadableContent(
  messages: readonly BaseMessage[],
  dropUnsupported: boolean,
): void {
  if (dropUnsupported) return;
  messages.forEach((message, position) => {
    if (typeof message.content === "string") return;
    const callIds = new Set(
      ((message as { tool_calls?: { id?: string }[] }).tool_calls ?? []).map((call) => call.id),
    );
    for (const block of message.content) {
      if (typeof block === "string") continue;
      const type = String(block.type);
      if (TEXT_TYPES.has(type)) continue;
      if (type === "tool_use" && callIds.has((block as { id?: string }).id)) continue;
      const role = message.getType();
      const what =
        type === "tool_use"
          ? `a tool_use block (id ${JSON.stringify((block as { id?: string }).id)}) that matches none of the message's tool_calls`
          : `${type} content`;
      throw new UnsupportedContentError(
        `ChatNodeLlamaCpp cannot read ${what} in message ${position} (${role}): GGUF chat models here read text only. ` +
          "Remove the block or describe it in text, or construct the model with `dropUnsupportedContent: true` to drop such blocks (the history then notes each omission).",
      );
    }
  });
}
