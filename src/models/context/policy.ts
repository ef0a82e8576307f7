/**
 * Hearth's context size policy, the one place that says how many tokens of context a model gets.
 *
 * - Default 8192: room for a system prompt, tool definitions and a few tool rounds.
 * - At most 32768: the native context of Qwen3 and Mistral (their model cards); beyond it the
 *   KV cache outgrows the memory budgets the selector plans with.
 * - At least 512: less cannot hold a tool-calling prompt and a reply.
 *
 * A size the user passes explicitly (to the chat model or the graph) that falls outside the range
 * is refused where it is passed, with the range and what to pass. A size Hearth chooses itself
 * (the selector's plan, a model's trained context) is clamped into the range instead.
 */
export const DEFAULT_CONTEXT_SIZE = 8192;
export const MAX_CONTEXT_SIZE = 32_768;
export const MIN_CONTEXT_SIZE = 512;

export class ContextSizeError extends RangeError {
  override name = "ContextSizeError";
}

/** The explicit size, checked (a clear error when out of range), or the default when none is given. */
export function checkContextSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_CONTEXT_SIZE;
  if (!Number.isInteger(value) || value < MIN_CONTEXT_SIZE || value > MAX_CONTEXT_SIZE) {
    throw new ContextSizeError(
      `contextSize must be a whole number of tokens between Hearth's minimum of ${MIN_CONTEXT_SIZE} and maximum of ${MAX_CONTEXT_SIZE}; got ${value}. Pass a value in that range, or leave it out for the default of ${DEFAULT_CONTEXT_SIZE}.`,
    );
  }
  return value;
}

export interface ClampedContextSize {
  size: number;
  /** Why the size differs from the one asked for; absent when it does not. */
  note?: string;
}

/** A size Hearth plans with, moved into the range (with the reason) rather than refused. */
export function clampContextSize(value: number | undefined): ClampedContextSize {
  const size = value ?? DEFAULT_CONTEXT_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    throw new ContextSizeError(
      `contextSize must be a positive whole number of tokens, got ${value}.`,
    );
  }
  if (size > MAX_CONTEXT_SIZE) {
    return {
      size: MAX_CONTEXT_SIZE,
      note: `Context: asked for ${size} tokens; Hearth plans at most ${MAX_CONTEXT_SIZE} (the Qwen3 and Mistral native context), so ${MAX_CONTEXT_SIZE}.`,
    };
  }
  if (size < MIN_CONTEXT_SIZE) {
    return {
      size: MIN_CONTEXT_SIZE,
      note: `Context: ${size} tokens is too small for a tool-calling prompt; planning ${MIN_CONTEXT_SIZE}.`,
    };
  }
  return { size };
}

/**
 * The context a LangChain chat model says it runs with: a positive `contextSize` property
 * (ChatNodeLlamaCpp has one; any other model may offer it too), else undefined.
 */
export function declaredContextSize(model: unknown): number | undefined {
  const size = (model as { contextSize?: unknown } | null | undefined)?.contextSize;
  return typeof size === "number" && Number.isInteger(size) && size > 0 ? size : undefined;
}
