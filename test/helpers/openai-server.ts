import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type AIMessage, coerceMessageLikeToMessage } from "@langchain/core/messages";

export interface OpenAIServer {
  /** `http://127.0.0.1:<port>/v1`, what an OpenAI client takes as its base URL. */
  baseURL: string;
  /** Every request body received, in order. */
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** OpenAI chat-completions messages as LangChain messages (LangChain parses the OpenAI shapes itself). */
function toMessages(messages: Json[]) {
  return messages.map(({ role, ...rest }) =>
    coerceMessageLikeToMessage({ ...rest, content: rest.content ?? "", type: role } as never),
  );
}

function completion(model: string, reply: AIMessage): Json {
  const calls = reply.tool_calls ?? [];
  const usage = reply.usage_metadata;
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: typeof reply.content === "string" ? reply.content : "",
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((call) => ({
                  id: call.id ?? `call_${randomUUID()}`,
                  type: "function",
                  function: { name: call.name, arguments: JSON.stringify(call.args) },
                })),
              }
            : {}),
        },
        finish_reason: calls.length > 0 ? "tool_calls" : "stop",
      },
    ],
    usage: {
      prompt_tokens: usage?.input_tokens ?? 0,
      completion_tokens: usage?.output_tokens ?? 0,
      total_tokens: usage?.total_tokens ?? 0,
    },
  };
}

async function readBody(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function send(response: ServerResponse, status: number, body: Json): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * A minimal OpenAI-compatible `/v1/chat/completions` endpoint on loopback (non-streaming), answered
 * by a LangChain chat model: the wire format is OpenAI's, the replies are the model's own.
 * `apiKey`, when given, must arrive as `Authorization: Bearer <key>`.
 */
export async function startOpenAIServer(
  model: BaseChatModel,
  options: { apiKey?: string } = {},
): Promise<OpenAIServer> {
  const requests: Json[] = [];
  const server = createServer(async (request, response) => {
    try {
      if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
        return send(response, 404, {
          error: { message: `no route ${request.method} ${request.url}` },
        });
      }
      if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
        return send(response, 401, {
          error: { message: "bad API key", type: "invalid_request_error" },
        });
      }
      const body = await readBody(request);
      requests.push(body);
      if (body.stream) {
        return send(response, 400, { error: { message: "this test server does not stream" } });
      }
      const tools = (body.tools as Json[] | undefined) ?? [];
      const callOptions = {
        maxTokens: (body.max_completion_tokens ?? body.max_tokens) as number | undefined,
        temperature: body.temperature as number | undefined,
      };
      const runnable =
        tools.length > 0
          ? model.bindTools!(
              tools as never,
              {
                tool_choice: body.tool_choice,
                parallel_tool_calls: body.parallel_tool_calls,
              } as never,
            )
          : model;
      const reply = (await runnable.invoke(
        toMessages(body.messages as Json[]),
        callOptions as never,
      )) as AIMessage;
      send(response, 200, completion(String(body.model), reply));
    } catch (error) {
      send(response, 500, { error: { message: (error as Error).message, type: "server_error" } });
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
