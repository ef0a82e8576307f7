import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  type ToolCall,
  ToolMessage,
} from "@langchain/core/messages";
import { badRequest } from "./errors.js";
import type { ChatMessageParam } from "./request.js";

type Content = ChatMessageParam["content"];

/**
 * OpenAI content → text. The models served are text-only, so an image or audio part is refused
 * with a 400 rather than dropped: a reply that ignored half the question would look valid.
 */
function contentText(content: Content | null | undefined, param: string): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content
    .map((part, index) => {
      if (part.type === "text" && typeof part.text === "string") return part.text;
      if (part.type === "refusal" && typeof part.refusal === "string") return part.refusal;
      throw badRequest(
        `Content part of type '${part.type}' is not supported: this server's model reads text only.`,
        `${param}[${index}].type`,
      );
    })
    .join("");
}

function toolCallArgs(text: string, param: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(`Tool call arguments must be a JSON object; got ${text.slice(0, 80)}`, param);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("Tool call arguments must be a JSON object.", param);
  }
  return value as Record<string, unknown>;
}

/**
 * OpenAI chat messages → LangChain messages, which ChatNodeLlamaCpp renders with the model's
 * own chat template. `developer` is OpenAI's newer name for `system`. Built with the message
 * constructors rather than `coerceMessageLikeToMessage`, so a bad field is a 400 naming its
 * path (that helper throws a bare SyntaxError on unparsable tool-call arguments).
 */
export function toLangChainMessages(messages: ChatMessageParam[]): BaseMessage[] {
  const knownCallIds = new Set<string>();
  return messages.map((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case "system":
      case "developer":
        return new SystemMessage(contentText(message.content, `${param}.content`));
      case "user":
        return new HumanMessage(contentText(message.content, `${param}.content`));
      case "assistant": {
        const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, callIndex) => {
          knownCallIds.add(call.id);
          return {
            type: "tool_call",
            id: call.id,
            name: call.function.name,
            args: toolCallArgs(
              call.function.arguments,
              `${param}.tool_calls[${callIndex}].function.arguments`,
            ),
          };
        });
        const text = contentText(message.content, `${param}.content`) || (message.refusal ?? "");
        return new AIMessage({ content: text, tool_calls: toolCalls });
      }
      default:
        if (!knownCallIds.has(message.tool_call_id)) {
          throw badRequest(
            `The tool message answers tool_call_id "${message.tool_call_id}", which no earlier assistant message called. Each tool message must follow the assistant message whose tool_calls it answers.`,
            `${param}.tool_call_id`,
          );
        }
        return new ToolMessage({
          content: contentText(message.content, `${param}.content`),
          tool_call_id: message.tool_call_id,
        });
    }
  });
}
