export {
  type ClampedContextSize,
  ContextSizeError,
  checkContextSize,
  clampContextSize,
  DEFAULT_CONTEXT_SIZE,
  declaredContextSize,
  MAX_CONTEXT_SIZE,
  MIN_CONTEXT_SIZE,
} from "./policy.js";
