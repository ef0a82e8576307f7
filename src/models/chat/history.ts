import type { BaseMessage, MessageContent } from "@langchain/core/messages";
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";

export interface ToolNameMapper {
  /** The name the model sees for a caller's tool name (dots and spaces may need mapping). */
  toModelName(name: string): string;
}

const identityNames: ToolNameMapper = { toModelName: (name) => name };

// The caller's tool_call id of a call in node-llama-cpp's history, which has no field for it:
// templates that key results by call id (Mistral) render it.
const callIds = new WeakMap<ChatModelFunctionCall, string>();

export function callIdOf(call: ChatModelFunctionCall): string | undefined {
  return callIds.get(call);
}

export function contentToText(content: MessageContent): string {
  if (typeof content === "string") return content;
  return content
    .map((block) => {
      if (typeof block === "string") return block;
      if (block.type === "text" && typeof block.text === "string") return block.text;
      // Images and other blocks have no meaning to a text-only GGUF model; say so rather than drop them silently.
      return `[${String(block.type)} content omitted]`;
    })
    .join("");
}

/**
 * LangChain messages → node-llama-cpp's `ChatHistoryItem[]`.
 *
 * node-llama-cpp keeps a tool call and its result together inside the model's response
 * (`{type: "functionCall", params, result}`), not as separate turns. So an AI message with
 * tool calls, the ToolMessages answering it and the AI text after them become ONE model
 * item. A ToolMessage whose call is unknown is kept as user text: nothing is dropped.
 */
export function messagesToChatHistory(
  messages: BaseMessage[],
  names: ToolNameMapper = identityNames,
): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  // Calls awaiting their ToolMessage, by tool_call_id.
  const openCalls = new Map<string, ChatModelFunctionCall>();
  let currentModel: ChatModelResponse | undefined;

  const closeModel = () => {
    if (currentModel) {
      for (const item of currentModel.response) {
        if (typeof item === "object" && item.type === "functionCall" && item.result === undefined) {
          item.result = "(no result was returned for this call)";
        }
      }
    }
    currentModel = undefined;
    openCalls.clear();
  };

  for (const message of messages) {
    const type = message._getType();
    if (type === "system") {
      closeModel();
      history.push({ type: "system", text: contentToText(message.content) });
    } else if (type === "human" || type === "generic") {
      closeModel();
      history.push({ type: "user", text: contentToText(message.content) });
    } else if (type === "ai") {
      const ai = message as BaseMessage & {
        tool_calls?: Array<{ id?: string; name: string; args: unknown }>;
      };
      // An AI message right after tool results continues the same model turn.
      const continues =
        currentModel !== undefined && openCalls.size === 0 && lastIsAnsweredCall(currentModel);
      if (!continues) {
        closeModel();
        currentModel = { type: "model", response: [] };
        history.push(currentModel);
      }
      const text = contentToText(message.content);
      if (text !== "") currentModel!.response.push(text);
      for (const [index, call] of (ai.tool_calls ?? []).entries()) {
        const entry: ChatModelFunctionCall = {
          type: "functionCall",
          name: names.toModelName(call.name),
          params: call.args,
          result: undefined,
          // A later round's first call starts a new chunk: rounds are sequential, not one parallel
          // batch. Without it every wrapper regroups the previous round's calls and results,
          // so each round re-renders (and re-evaluates) everything after the first call.
          startsNewChunk: index === 0 ? (continues ? true : undefined) : false,
        };
        currentModel!.response.push(entry);
        if (call.id) callIds.set(entry, call.id);
        if (call.id) openCalls.set(call.id, entry);
        else openCalls.set(`__index_${index}`, entry);
      }
    } else if (type === "tool") {
      const tool = message as BaseMessage & { tool_call_id: string; name?: string };
      const call = openCalls.get(tool.tool_call_id);
      if (call) {
        call.result = contentToText(message.content);
        openCalls.delete(tool.tool_call_id);
      } else {
        closeModel();
        history.push({
          type: "user",
          text: `Result of tool ${tool.name ?? "call"} (${tool.tool_call_id}): ${contentToText(message.content)}`,
        });
      }
    } else {
      closeModel();
      history.push({ type: "user", text: contentToText(message.content) });
    }
  }
  // A history that ends on tool results ends with that model item: the model continues it.
  // A history that ends on a user/system turn gets an empty model item to respond in.
  const last = history.at(-1);
  if (last === undefined || last.type !== "model" || !lastIsAnsweredCall(last)) {
    if (currentModel) closeModel();
    history.push({ type: "model", response: [] });
  } else {
    closeModel();
  }
  return history;
}

function lastIsAnsweredCall(model: ChatModelResponse): boolean {
  const last = model.response.at(-1);
  return typeof last === "object" && last.type === "functionCall" && last.result !== undefined;
}
