import type { ChatNodeLlamaCpp } from "../models/chat/index.js";
import type { RouteHandler } from "./router.js";
import { sendJson } from "./send-json.js";

/** `GET /v1/models`: the one model this server runs, in OpenAI's list shape. */
export function modelsHandler(modelId: string, createdAt: number): RouteHandler {
  return (_req, res) => {
    sendJson(res, 200, {
      object: "list",
      data: [{ id: modelId, object: "model", created: createdAt, owned_by: "hearth" }],
    });
  };
}

/**
 * `GET /health`: 200 once the model is loaded (the server listens only after that), with the
 * load a balancer needs to spread requests: sequences, how many are busy and how many wait.
 */
export function healthHandler(chat: ChatNodeLlamaCpp): RouteHandler {
  return async (_req, res) => {
    const { pool } = await chat.ensureLoaded();
    sendJson(res, 200, {
      status: "ok",
      sequences: pool.size,
      busy: pool.busyCount,
      waiting: pool.waiting,
    });
  };
}
