import type { ServerResponse } from "node:http";
import { ContextOverflowError, OutputBudgetError, QueueFullError } from "../models/chat/index.js";
import { ToolDefinitionError } from "../tools/index.js";
import { sendJson } from "./send-json.js";

/** The `type` values OpenAI's API uses in its error bodies; clients branch on them. */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error";

/** OpenAI's error body: `{ error: { message, type, param, code } }`, which every SDK parses. */
export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

/** An error that already knows its HTTP status and its OpenAI-shaped body. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAIErrorType,
    readonly options: { param?: string; code?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }

  body(): OpenAIErrorBody {
    return {
      error: {
        message: this.message,
        type: this.type,
        param: this.options.param ?? null,
        code: this.options.code ?? null,
      },
    };
  }
}

export function badRequest(message: string, param?: string, code?: string): HttpError {
  return new HttpError(400, message, "invalid_request_error", { param, code });
}

/** True for the abort a client's disconnect (or `close()`) causes: there is nobody to answer. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.message === "Aborted");
}

/**
 * Any error thrown while serving a request, as the HTTP error the client gets. Errors that
 * come from the request (a tool the grammar cannot express, a full queue) keep their own
 * message, which says what to change; anything else is the server's fault (500).
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof QueueFullError) {
    return new HttpError(
      429,
      `The server is busy: all ${error.sequences} sequences are generating and the queue of ${error.waiting} is full. Retry after the Retry-After delay, or start the server with more --sequences.`,
      "rate_limit_error",
      { code: "rate_limit_exceeded", headers: { "Retry-After": "1" } },
    );
  }
  if (error instanceof ContextOverflowError) {
    return badRequest(error.message, "messages", "context_length_exceeded");
  }
  if (error instanceof OutputBudgetError) return badRequest(error.message, "max_tokens");
  if (error instanceof ToolDefinitionError) return badRequest(error.message, "tools");
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(500, `The server failed: ${message}`, "server_error");
}

/** Writes an error response, unless the response has already started (then it just ends). */
export function sendError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, error.status, error.body(), error.options.headers);
}
