import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { type HearthMetrics, metricsForServer } from "../adapters/prometheus/index.js";
import { ChatNodeLlamaCpp } from "../models/chat/index.js";
import { assertBindingAllowed, checkBearer } from "./auth.js";
import { DEFAULT_MAX_BODY_BYTES } from "./body.js";
import { chatCompletionsHandler } from "./chat-completions.js";
import { embeddingsHandler, type ServedEmbeddings } from "./embeddings-route.js";
import { isAbort, sendError, toHttpError } from "./errors.js";
import { healthHandler, modelsHandler } from "./info-routes.js";
import { JsonInterner } from "./interner.js";
import { Router } from "./router.js";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8080;

export interface ServerOptions {
  /**
   * The model: a `ChatNodeLlamaCpp` (its `sequences` and `maxQueue` set the concurrency; it stays
   * open after `close()`), or a GGUF path / `hf:` URI loaded here and disposed on `close()`.
   */
  model: ChatNodeLlamaCpp | string;
  /** What clients send as `model`; default the GGUF file's name without `.gguf`. */
  modelId?: string;
  /** Default 127.0.0.1. Any non-loopback host requires `apiKey`. */
  host?: string;
  /** Default 8080; 0 picks a free port (read it from `url`). */
  port?: number;
  /** When set, every endpoint but /health requires `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** With a model path: concurrent generations (context sequences). Default 1. */
  sequences?: number;
  /** With a model path: requests that may wait for a sequence; more get 429. Default 16 × sequences. */
  maxQueue?: number;
  /** With a model path: tokens of context per sequence. */
  contextSize?: number;
  /** Request bodies above this get 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** Reply tokens when a request sets no max_tokens. Default ChatNodeLlamaCpp's (1024). */
  defaultMaxTokens?: number;
  /**
   * Embedding models served at `POST /v1/embeddings`, by the `model` name clients send (e.g.
   * `{ "nomic-embed-text-v1.5": HearthEmbeddings.fromCatalog("nomic-embed-text-v1.5") }`).
   */
  embeddings?: Record<string, ServedEmbeddings>;
  /** Adds routes before the server listens, e.g. `(router) => router.get("/metrics", handler)`. */
  mount?: (router: Router) => void;
  /**
   * `GET /metrics` in Prometheus's format (behind the API key like every route but /health):
   * the model's latency, tokens, KV-cache reuse, queue depth and refused requests, memory, and
   * answers by path and status. Default: on, with a registry of its own; pass a HearthMetrics to
   * share one, or false to serve no /metrics.
   */
  metrics?: HearthMetrics | false;
}

export interface RunningServer {
  /** `http://host:port`; the OpenAI base URL is `${url}/v1`. */
  url: string;
  modelId: string;
  chat: ChatNodeLlamaCpp;
  /** What `GET /metrics` serves (absent with `metrics: false`). */
  metrics?: HearthMetrics;
  /** Stops listening, aborts generations in flight, and frees a model it loaded. */
  close(): Promise<void>;
}

function modelIdOf(chat: ChatNodeLlamaCpp): string {
  const file = chat.modelPath;
  return file ? path.basename(file).replace(/\.gguf$/i, "") : "hearth";
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The routes every `hearth serve` has. */
export function createRouter(options: {
  chat: ChatNodeLlamaCpp;
  modelId: string;
  maxBodyBytes: number;
  defaultMaxTokens?: number;
}): Router {
  const router = new Router();
  router.post(
    "/v1/chat/completions",
    chatCompletionsHandler({ ...options, interner: new JsonInterner() }),
  );
  router.get("/v1/models", modelsHandler(options.modelId, Math.floor(Date.now() / 1000)));
  router.get("/health", healthHandler(options.chat), { public: true });
  return router;
}

/**
 * An OpenAI-compatible HTTP server over one loaded model. Resolves once the model is loaded and
 * the port is listening.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const apiKey = options.apiKey === "" ? undefined : options.apiKey;
  assertBindingAllowed(host, apiKey);
  const ownsModel = typeof options.model === "string";
  const chat =
    typeof options.model === "string"
      ? new ChatNodeLlamaCpp({
          modelPath: options.model,
          contextSize: options.contextSize,
          sequences: options.sequences ?? 1,
          maxQueue: options.maxQueue ?? 16 * (options.sequences ?? 1),
        })
      : options.model;
  try {
    await chat.ensureLoaded();
  } catch (error) {
    if (ownsModel) await chat.dispose();
    throw error;
  }
  const modelId = options.modelId ?? modelIdOf(chat);
  const router = createRouter({
    chat,
    modelId,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    defaultMaxTokens: options.defaultMaxTokens,
  });
  if (options.embeddings && Object.keys(options.embeddings).length > 0) {
    router.post(
      "/v1/embeddings",
      embeddingsHandler({
        models: options.embeddings,
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      }),
    );
  }
  const served =
    options.metrics === false ? undefined : metricsForServer(chat, { metrics: options.metrics });
  if (served) router.get("/metrics", served.handler);
  options.mount?.(router);

  const inFlight = new Set<AbortController>();
  const dispatch = async (req: IncomingMessage, res: ServerResponse) => {
    const controller = new AbortController();
    inFlight.add(controller);
    served?.countResponse(router.pathOf(req.url ?? "/") ?? "other", res);
    // The response closing before it finished means the client went away: stop generating,
    // which hands the sequence back (or takes the request out of the queue).
    res.on("close", () => {
      inFlight.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    try {
      const route = router.match(req.method ?? "GET", req.url ?? "/");
      if (apiKey !== undefined && !route.options.public) checkBearer(req, apiKey);
      await route.handler(req, res, { signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted || (isAbort(error) && res.destroyed)) {
        res.destroy();
        return;
      }
      sendError(res, toHttpError(error));
    }
  };
  const server = createServer((req, res) => void dispatch(req, res));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    served?.close();
    if (ownsModel) await chat.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `Port ${options.port} on ${host} is already in use. Pick another with --port, or stop the process using it.`,
        { cause: error },
      );
    }
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 0);

  let closing: Promise<void> | undefined;
  return {
    url: urlOf(host, port),
    modelId,
    chat,
    metrics: served?.metrics,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const controller of inFlight) controller.abort();
        server.closeAllConnections();
        await closed;
        served?.close();
        if (ownsModel) await chat.dispose();
      })();
      return closing;
    },
  };
}
