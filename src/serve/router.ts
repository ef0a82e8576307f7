import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";

export interface RouteContext {
  /** Aborted when the client disconnects or the server closes: pass it to the model call. */
  signal: AbortSignal;
}

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  context: RouteContext,
) => void | Promise<void>;

export interface RouteOptions {
  /** Served without the API key (e.g. a load balancer's health probe). Default false. */
  public?: boolean;
}

interface Route {
  handler: RouteHandler;
  options: RouteOptions;
}

/**
 * Exact-path routing by method. The server has a handful of fixed paths and no parameters, so
 * a map does what a framework's router would, without a dependency; mounting another endpoint
 * (`/metrics`, `/v1/embeddings`) is one `router.get(…)` or `router.post(…)` line.
 */
export class Router {
  private readonly routes = new Map<string, Map<string, Route>>();

  on(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): this {
    let byMethod = this.routes.get(path);
    if (!byMethod) {
      byMethod = new Map();
      this.routes.set(path, byMethod);
    }
    byMethod.set(method.toUpperCase(), { handler, options });
    return this;
  }

  get(path: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.on("GET", path, handler, options);
  }

  post(path: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.on("POST", path, handler, options);
  }

  /** The route for a request, or the 404/405 to answer (in OpenAI's error shape). */
  /** The registered path a URL names, or undefined (a metric label that unknown URLs cannot multiply). */
  pathOf(url: string): string | undefined {
    const path = normalizedPath(url);
    return this.routes.has(path) ? path : undefined;
  }

  match(method: string, url: string): Route {
    const path = normalizedPath(url);
    const byMethod = this.routes.get(path);
    if (!byMethod) {
      throw new HttpError(
        404,
        `No endpoint ${method} ${path}. This server has: ${[...this.routes.keys()].join(", ")}.`,
        "invalid_request_error",
        { code: "unknown_url" },
      );
    }
    const route =
      byMethod.get(method.toUpperCase()) ?? (method === "HEAD" ? byMethod.get("GET") : undefined);
    if (!route) {
      const allowed = [...byMethod.keys()].join(", ");
      throw new HttpError(
        405,
        `${path} does not accept ${method}; use ${allowed}.`,
        "invalid_request_error",
        { code: "method_not_allowed", headers: { Allow: allowed } },
      );
    }
    return route;
  }
}

function normalizedPath(url: string): string {
  return new URL(url, "http://localhost").pathname.replace(/\/+$/, "") || "/";
}
