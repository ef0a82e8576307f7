import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";

/**
 * Serves a registry in Prometheus's text format: mount it on node:http (`createServer(handler)`,
 * or call it for `GET /metrics`) or Express (`app.get("/metrics", handler)`).
 */
export function metricsHandler(registry: Registry) {
  return async function serveMetrics(request: IncomingMessage, response: ServerResponse) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" });
      response.end("Use GET to read metrics.\n");
      return;
    }
    try {
      const body = await registry.metrics();
      response.writeHead(200, { "Content-Type": registry.contentType });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "text/plain" });
      response.end(
        `Collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  };
}
