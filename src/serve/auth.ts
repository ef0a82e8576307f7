import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { HttpError } from "./errors.js";

/** Hosts only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || bare.startsWith("::ffff:127.");
  return false;
}

/**
 * The server runs a model with the machine's memory and compute, and answers whatever it is
 * sent: on a network interface, anyone who can reach the port could use (and exhaust) it. So
 * binding beyond loopback needs a key.
 */
export function assertBindingAllowed(host: string, apiKey: string | undefined): void {
  if (isLoopbackHost(host) || (apiKey !== undefined && apiKey !== "")) return;
  throw new Error(
    `Refusing to listen on ${host} without an API key: any machine that can reach it could run the model. Set a key (hearth serve --api-key-env VAR, with the key in $VAR; or startServer({ apiKey })) and send it as "Authorization: Bearer <key>", or listen on 127.0.0.1.`,
  );
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Checks `Authorization: Bearer <key>` in constant time; throws the 401 OpenAI sends. */
export function checkBearer(req: IncomingMessage, apiKey: string): void {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) {
    throw new HttpError(
      401,
      "You didn't provide an API key. Send it as an Authorization header: 'Authorization: Bearer <key>'.",
      "authentication_error",
      { code: "missing_api_key", headers: { "WWW-Authenticate": "Bearer" } },
    );
  }
  if (!timingSafeEqual(digest(match[1]), digest(apiKey))) {
    throw new HttpError(401, "Incorrect API key provided.", "authentication_error", {
      code: "invalid_api_key",
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
}
