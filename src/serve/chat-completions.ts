import { randomUUID } from "node:crypto";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type {
  AIMessage,
  AIMessageChunk,
  BaseMessage,
  InvalidToolCall,
} from "@langchain/core/messages";
import type { Runnable } from "@langchain/core/runnables";
import type { ChatNodeLlamaCpp, ChatNodeLlamaCppCallOptions } from "../models/chat/index.js";
import { readJsonBody } from "./body.js";
import { type PlannedCall, planCall } from "./call-options.js";
import {
  type CompletionIdentity,
  checkStructuredOutput,
  chunkObject,
  completionObject,
  finishReason,
  hitTokenLimit,
  toolCallsOf,
  usageChunkObject,
  usageOf,
} from "./completion-shape.js";
import { HttpError, isAbort, toHttpError } from "./errors.js";
import type { JsonInterner } from "./interner.js";
import { toLangChainMessages } from "./messages.js";
import { parseChatCompletionRequest } from "./request.js";
import type { RouteHandler } from "./router.js";
import { sendJson } from "./send-json.js";
import { SseStream } from "./sse.js";

export interface ChatCompletionsOptions {
  chat: ChatNodeLlamaCpp;
  /** The id clients send as `model` (and GET /v1/models lists). */
  modelId: string;
  maxBodyBytes: number;
  interner: JsonInterner;
  /** Tokens per reply when the request sets no max_tokens (ChatNodeLlamaCpp's default otherwise). */
  defaultMaxTokens?: number;
}

type Model = Runnable<BaseLanguageModelInput, AIMessageChunk, ChatNodeLlamaCppCallOptions>;

/** The chat model with this request's tools, tool choice, format and sampling bound. */
function boundModel(chat: ChatNodeLlamaCpp, planned: PlannedCall): Model {
  return planned.tools.length > 0
    ? chat.bindTools(planned.tools, planned.options)
    : chat.withConfig(planned.options as Partial<ChatNodeLlamaCppCallOptions>);
}

/** `POST /v1/chat/completions`, answered by ChatNodeLlamaCpp (whole, or streamed as SSE). */
export function chatCompletionsHandler(options: ChatCompletionsOptions): RouteHandler {
  return async (req, res, { signal }) => {
    const request = parseChatCompletionRequest(await readJsonBody(req, options.maxBodyBytes));
    if (request.model !== options.modelId) {
      throw new HttpError(
        404,
        `The model '${request.model}' does not exist on this server, which serves '${options.modelId}' (see GET /v1/models).`,
        "invalid_request_error",
        { param: "model", code: "model_not_found" },
      );
    }
    const messages = toLangChainMessages(request.messages);
    const planned = planCall(request, {
      interner: options.interner,
      defaultMaxTokens: options.defaultMaxTokens,
    });
    const model = boundModel(options.chat, planned);
    const identity: CompletionIdentity = {
      id: `chatcmpl-${randomUUID()}`,
      created: Math.floor(Date.now() / 1000),
      model: options.modelId,
    };
    if (request.stream) {
      await streamCompletion(model, messages, planned, identity, signal, res, {
        includeUsage: request.stream_options?.include_usage === true,
      });
      return;
    }
    const reply = (await model.invoke(messages, { signal })) as AIMessage;
    if (planned.outputSchema && !hitTokenLimit(reply)) {
      checkStructuredOutput(reply.content as string, planned.outputSchema);
    }
    sendJson(res, 200, completionObject(identity, reply));
  };
}

async function streamCompletion(
  model: Model,
  messages: BaseMessage[],
  planned: PlannedCall,
  identity: CompletionIdentity,
  signal: AbortSignal,
  res: Parameters<RouteHandler>[1],
  options: { includeUsage: boolean },
): Promise<void> {
  const sse = new SseStream(res);
  const chunk = (delta: Record<string, unknown>, finish: ReturnType<typeof finishReason> | null) =>
    chunkObject(identity, delta, finish, options.includeUsage);
  let reply: AIMessageChunk | undefined;
  let text = "";
  // Read from each chunk: LangChain's concat does not carry invalid calls (see ChatNodeLlamaCpp).
  const invalidCalls: InvalidToolCall[] = [];
  try {
    for await (const piece of await model.stream(messages, { signal })) {
      if (!sse.started) sse.send(chunk({ role: "assistant", content: "" }, null));
      const delta = typeof piece.content === "string" ? piece.content : "";
      if (delta !== "") {
        text += delta;
        sse.send(chunk({ content: delta }, null));
      }
      invalidCalls.push(...(piece.invalid_tool_calls ?? []));
      reply = reply ? reply.concat(piece) : piece;
    }
  } catch (error) {
    // Before the first event the error still has its own status (429, 400); after it, an event.
    if (!sse.started || isAbort(error)) throw error;
    sse.fail(toHttpError(error));
    return;
  }
  if (!reply) throw new HttpError(500, "The model produced no reply.", "server_error");
  reply.invalid_tool_calls = invalidCalls;
  // A forced call cut off by the token limit: its partial JSON is content, not a call.
  const cut = invalidCalls.map((call) => call.args ?? "").join("");
  if (cut !== "") sse.send(chunk({ content: cut }, null));
  if (planned.outputSchema && !hitTokenLimit(reply)) {
    try {
      checkStructuredOutput(text, planned.outputSchema);
    } catch (error) {
      sse.fail(toHttpError(error));
      return;
    }
  }
  // Calls are known whole only at the end (the grammar forces them; nothing partial is
  // shown). They go out as OpenAI's deltas: id, type and name first, then the arguments.
  for (const [index, call] of toolCallsOf(reply).entries()) {
    sse.send(
      chunk(
        {
          tool_calls: [
            {
              index,
              id: call.id,
              type: "function",
              function: { name: call.function.name, arguments: "" },
            },
          ],
        },
        null,
      ),
    );
    sse.send(
      chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] }, null),
    );
  }
  sse.send(chunk({}, finishReason(reply)));
  if (options.includeUsage) sse.send(usageChunkObject(identity, usageOf(reply.usage_metadata)));
  sse.done();
}
