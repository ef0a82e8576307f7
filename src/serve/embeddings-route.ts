import { EmbeddingInputError, type EmbeddingResult } from "../models/embeddings/index.js";
import { readJsonBody } from "./body.js";
import type { RouteHandler } from "./router.js";
import { sendJson } from "./send-json.js";

/** What the route needs from an embedding model: `HearthEmbeddings` has it. */
export interface ServedEmbeddings {
  embedWithDetails(texts: string[]): Promise<EmbeddingResult[]>;
}

export interface EmbeddingsRouteOptions {
  /** The embedding models served, by the `model` name clients send. */
  models: Record<string, ServedEmbeddings>;
  /** Most inputs in one request (default 2048, OpenAI's own limit). */
  maxInputs?: number;
}

export interface RouteResult {
  status: number;
  body: Record<string, unknown>;
}

function error(
  status: number,
  message: string,
  param: string | null,
  code: string | null,
): RouteResult {
  return { status, body: { error: { message, type: "invalid_request_error", param, code } } };
}

/** A float vector as OpenAI's base64 form: little-endian float32 bytes. */
export function vectorToBase64(vector: readonly number[]): string {
  return Buffer.from(Float32Array.from(vector).buffer).toString("base64");
}

/**
 * `POST /v1/embeddings` in OpenAI's shape: `input` a string or an array of strings, `model` one of
 * the served names, `encoding_format` "float" (default) or "base64"; the answer carries every
 * vector by index and `usage` with the tokens evaluated. Token-array inputs and a `dimensions`
 * other than the model's own are refused with a 400 that says why, never approximated.
 */
export async function handleEmbeddingsRequest(
  body: unknown,
  options: EmbeddingsRouteOptions,
): Promise<RouteResult> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return error(400, "The request body must be a JSON object.", null, null);
  }
  const request = body as Record<string, unknown>;
  const names = Object.keys(options.models);
  if (typeof request.model !== "string") {
    return error(400, `"model" is required: one of ${names.join(", ")}.`, "model", null);
  }
  const model = options.models[request.model];
  if (!model) {
    return error(
      404,
      `The model "${request.model}" is not served here. Served embedding models: ${names.join(", ")}.`,
      "model",
      "model_not_found",
    );
  }
  const format = request.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    return error(400, `"encoding_format" must be "float" or "base64".`, "encoding_format", null);
  }
  const input = request.input;
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || texts.length === 0) {
    return error(400, `"input" must be a string or a non-empty array of strings.`, "input", null);
  }
  if (!texts.every((text): text is string => typeof text === "string")) {
    return error(
      400,
      `"input" holds token arrays or non-strings; this server embeds text only. Send the text itself.`,
      "input",
      null,
    );
  }
  const maxInputs = options.maxInputs ?? 2048;
  if (texts.length > maxInputs) {
    return error(
      400,
      `"input" has ${texts.length} items; at most ${maxInputs} per request.`,
      "input",
      null,
    );
  }
  let results: EmbeddingResult[];
  try {
    results = await model.embedWithDetails(texts);
  } catch (caught) {
    if (caught instanceof EmbeddingInputError) {
      return error(
        400,
        caught.message,
        "input",
        caught.problem === "too-long" ? "context_length_exceeded" : null,
      );
    }
    throw caught;
  }
  const dimensions = results[0].embedding.length;
  if (request.dimensions !== undefined && request.dimensions !== dimensions) {
    return error(
      400,
      `"${request.model}" returns ${dimensions} dimensions; "dimensions" ${JSON.stringify(request.dimensions)} cannot be served without changing the vectors. Leave it out.`,
      "dimensions",
      null,
    );
  }
  const tokens = results.reduce((sum, result) => sum + result.tokens, 0);
  return {
    status: 200,
    body: {
      object: "list",
      data: results.map((result, index) => ({
        object: "embedding",
        index,
        embedding: format === "base64" ? vectorToBase64(result.embedding) : result.embedding,
      })),
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

/**
 * `POST /v1/embeddings` for hearth serve's router: the body read with the server's limit, errors
 * in OpenAI's shape like every other route.
 */
export function embeddingsHandler(
  options: EmbeddingsRouteOptions & { maxBodyBytes: number },
): RouteHandler {
  return async (req, res) => {
    const body = await readJsonBody(req, options.maxBodyBytes);
    const result = await handleEmbeddingsRequest(body, options);
    sendJson(res, result.status, result.body);
  };
}
