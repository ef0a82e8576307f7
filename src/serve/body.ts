import type { IncomingMessage } from "node:http";
import { badRequest, HttpError } from "./errors.js";

/** Default request body limit: far above any text prompt a local context can hold. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Past this many bytes of an oversized body the socket is cut rather than drained. */
const DRAIN_FACTOR = 8;

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    `The request body is larger than this server's limit of ${limit} bytes. Send a shorter conversation, or start the server with a larger maxBodyBytes.`,
    "invalid_request_error",
    { code: "request_too_large", headers: { Connection: "close" } },
  );
}

/**
 * Reads and parses a JSON body. Past `limit` bytes nothing more is kept: the rest is drained
 * (so the client, still sending, can read the 413 instead of a reset connection), and a body
 * many times the limit has its socket cut.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit * DRAIN_FACTOR) {
        req.destroy();
        reject(tooLarge(limit));
      } else if (size > limit) {
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    req.on("error", reject);
    req.on("end", () => {
      if (size > limit) {
        reject(tooLarge(limit));
        return;
      }
      try {
        resolve(parseJson(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") {
    throw badRequest(
      'The request body is empty. Send a JSON object, e.g. {"model": "…", "messages": [{"role": "user", "content": "Hello"}]}.',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `The request body is not valid JSON (${(error as Error).message}). Send a JSON object with Content-Type: application/json.`,
      undefined,
      "invalid_json",
    );
  }
}
