import type { ToolDefinition } from "@langchain/core/language_models/base";
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import type {
  BaseTool,
  ChatMessage,
  MessageContent,
  ToolCall,
  ToolCallLLMMessageOptions,
} from "llamaindex";

/** Text of a LlamaIndex message; the local models take text only, so other parts are refused. */
export function contentText(content: MessageContent, index: number): string {
  if (typeof content === "string") return content;
  return content
    .map((part) => {
      if (part.type === "text") return part.text;
      throw new Error(
        `Message ${index} has a "${part.type}" part; Hearth's local models take text only. Send the text, or describe the ${part.type} in words.`,
      );
    })
    .join("");
}

function toolCallArgs(call: ToolCall | { input: string }): Record<string, unknown> {
  if (typeof call.input !== "string") return call.input as Record<string, unknown>;
  try {
    return JSON.parse(call.input) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** LlamaIndex chat messages (tool calls and results in `options`) as LangChain messages. */
export function toLangChainMessages(
  messages: ChatMessage<ToolCallLLMMessageOptions>[],
): BaseMessage[] {
  return messages.map((message, index) => {
    const text = contentText(message.content, index);
    const options = message.options ?? {};
    switch (message.role) {
      case "system":
      case "developer":
      case "memory":
        return new SystemMessage(text);
      case "assistant":
        if ("toolCall" in options && options.toolCall.length > 0) {
          return new AIMessage({
            content: text,
            tool_calls: options.toolCall.map((call) => ({
              id: call.id,
              name: call.name,
              args: toolCallArgs(call),
              type: "tool_call" as const,
            })),
          });
        }
        return new AIMessage(text);
      case "user":
        if ("toolResult" in options) {
          return new ToolMessage({
            content: options.toolResult.result,
            tool_call_id: options.toolResult.id,
            status: options.toolResult.isError ? "error" : "success",
          });
        }
        return new HumanMessage(text);
      default:
        throw new Error(`Message ${index} has the unknown role "${String(message.role)}".`);
    }
  });
}

/** A LlamaIndex tool's metadata as an OpenAI-format definition (what bindTools accepts). */
export function toToolDefinition(tool: BaseTool): ToolDefinition {
  const { name, description, parameters } = tool.metadata;
  return {
    type: "function",
    function: {
      name,
      description,
      parameters: (parameters as Record<string, unknown> | undefined) ?? {
        type: "object",
        properties: {},
      },
    },
  };
}
