// hearth/otel: OpenTelemetry for Hearth's graph and models (GenAI semantic conventions).
export * as GenAiAttributes from "./attributes.js";
export {
  OpenTelemetryCallbackHandler,
  type OpenTelemetryHandlerOptions,
} from "./callback-handler.js";
