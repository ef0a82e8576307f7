import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a client sent to `POST /v1/chat/completions` (the fields the tests look at). */
export interface ChatCompletionRequest {
  model: string;
  messages: Array<{ role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }>;
  tools?: Array<{ type: "function"; function: { name: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> };
  };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export interface StubReply {
  /** Close the connection without answering, as a server that dies mid-request does. */
  drop?: boolean;
  content?: string;
  toolCalls?: Array<{ name: string; arguments: string | Record<string, unknown> }>;
}

export type StubResponder = (request: ChatCompletionRequest) => StubReply | Promise<StubReply>;

export interface StubServer {
  /** The base URL clients take, ending in /v1. */
  baseURL: string;
  requests: ChatCompletionRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * A scripted server that speaks the OpenAI chat-completions protocol on 127.0.0.1 (JSON and SSE
 * streaming, tool calls, usage): real HTTP for real clients such as LangChain's `ChatOpenAI`,
 * with replies chosen by the test. It checks nothing a real engine would enforce (schemas,
 * tool_choice): tests use it to see what the client asked for and how it treats what comes back.
 */
export async function startStubServer(respond: StubResponder): Promise<StubServer> {
  const requests: ChatCompletionRequest[] = [];
  const server = createServer(async (request, response) => {
    try {
      if (request.method === "GET" && request.url === "/v1/models") {
        send(response, 200, { object: "list", data: [{ id: "stub", object: "model" }] });
        return;
      }
      if (request.method !== "POST" || request.url !== "/v1/chat/completions") {
        send(response, 404, { error: { message: `no route ${request.url}`, type: "not_found" } });
        return;
      }
      const body = JSON.parse(await readBody(request)) as ChatCompletionRequest;
      requests.push(body);
      const reply = await respond(body);
      if (reply.drop) {
        request.socket.destroy();
        return;
      }
      const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
        index,
        id: `call_${randomUUID().slice(0, 8)}`,
        type: "function" as const,
        function: {
          name: call.name,
          arguments:
            typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
        },
      }));
      const finish = toolCalls.length > 0 ? "tool_calls" : "stop";
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      if (!body.stream) {
        send(response, 200, {
          id,
          object: "chat.completion",
          created,
          model: body.model,
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content: reply.content ?? (toolCalls.length > 0 ? null : ""),
                ...(toolCalls.length > 0
                  ? { tool_calls: toolCalls.map(({ index: _, ...call }) => call) }
                  : {}),
              },
              finish_reason: finish,
            },
          ],
          usage,
        });
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const chunk = (delta: unknown, finishReason: string | null, extra: object = {}) =>
        response.write(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
        );
      chunk({ role: "assistant", content: reply.content ?? "" }, null);
      if (toolCalls.length > 0) chunk({ tool_calls: toolCalls }, null);
      chunk({}, finish);
      if (body.stream_options?.include_usage) {
        response.write(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage })}\n\n`,
        );
      }
      response.end("data: [DONE]\n\n");
    } catch (error) {
      send(response, 500, { error: { message: String(error), type: "server_error" } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
