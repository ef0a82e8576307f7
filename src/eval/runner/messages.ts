import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import type { SuiteMessage } from "../suite-format/types.js";

/** Suite messages (OpenAI-like, plain JSON) as LangChain messages. */
export function toLangChainMessages(messages: SuiteMessage[]): BaseMessage[] {
  let callCount = 0;
  const pendingIds: string[] = [];
  return messages.map((message): BaseMessage => {
    switch (message.role) {
      case "system":
        return new SystemMessage(message.content);
      case "user":
        return new HumanMessage(message.content);
      case "assistant": {
        const toolCalls = (message.tool_calls ?? []).map((call) => {
          const id = call.id ?? `call_${callCount++}`;
          pendingIds.push(id);
          return { id, name: call.name, args: call.arguments, type: "tool_call" as const };
        });
        return new AIMessage({ content: message.content, tool_calls: toolCalls });
      }
      default:
        // A result without an id answers the oldest call still waiting for one.
        return new ToolMessage({
          content: message.content,
          tool_call_id: message.tool_call_id ?? pendingIds.shift() ?? `call_${callCount++}`,
          name: message.name,
        });
    }
  });
}
