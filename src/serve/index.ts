export { assertBindingAllowed, isLoopbackHost } from "./auth.js";
export { DEFAULT_MAX_BODY_BYTES } from "./body.js";
export { HttpError, type OpenAIErrorBody, type OpenAIErrorType } from "./errors.js";
export { type RouteContext, type RouteHandler, type RouteOptions, Router } from "./router.js";
export {
  createRouter,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "./server.js";
