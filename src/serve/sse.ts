import type { ServerResponse } from "node:http";
import type { HttpError } from "./errors.js";

/**
 * Server-sent events as OpenAI streams them: `data: <json>` lines, then `data: [DONE]`.
 *
 * Headers go out with the first event, not before: until the model has produced something, a
 * failure (a full queue, a bad tool) can still be answered with its own HTTP status.
 */
export class SseStream {
  constructor(private readonly res: ServerResponse) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  private start(): void {
    if (this.res.headersSent) return;
    this.res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      // Reverse proxies (nginx) otherwise buffer the stream and the tokens arrive all at once.
      "X-Accel-Buffering": "no",
    });
  }

  /** Writes one event; a client too slow to read only grows the buffer by one reply's tokens. */
  send(data: unknown): void {
    if (this.res.destroyed) return;
    this.start();
    this.res.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  done(): void {
    if (this.res.destroyed) return;
    this.start();
    this.res.end("data: [DONE]\n\n");
  }

  /** An error after the stream began: OpenAI's clients raise a `data: {"error": …}` event. */
  fail(error: HttpError): void {
    if (this.res.destroyed) return;
    this.send(error.body());
    this.res.end();
  }
}
