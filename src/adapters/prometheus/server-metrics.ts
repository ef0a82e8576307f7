import type { IncomingMessage, ServerResponse } from "node:http";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HearthMetrics } from "./hearth-metrics.js";

export interface ServerMetrics {
  metrics: HearthMetrics;
  /** `GET /metrics`: mount it on the server's router. */
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /**
   * Counts a response once it has been sent (status and path); call it for every request, e.g.
   * from the dispatcher. Pass the matched route's path, not the raw URL, so unknown URLs do not
   * each make a series.
   */
  countResponse(path: string, response: ServerResponse): void;
  /** Detaches the metrics from the model (which may outlive the server). */
  close(): void;
}

/**
 * Everything a server in front of one chat model needs for `GET /metrics` (what `hearth serve`
 * mounts): the model's calls recorded whatever the caller passes (latency, tokens, KV-cache reuse,
 * errors), its queue depth and refused calls, its response cache, memory, and the server's own
 * answers by path and status.
 */
export function metricsForServer(
  chat: BaseChatModel,
  options: { metrics?: HearthMetrics; modelName?: string } = {},
): ServerMetrics {
  const metrics = options.metrics ?? new HearthMetrics();
  const stop = metrics.observeChatModel(chat, { name: options.modelName, recordCalls: true });
  return {
    metrics,
    handler: metrics.handler(),
    countResponse(path, response) {
      response.once("finish", () => {
        metrics.httpRequests.inc({ path, status: String(response.statusCode) });
      });
    },
    close: stop,
  };
}
