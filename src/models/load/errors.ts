import { InsufficientMemoryError } from "node-llama-cpp";

export type ModelFileProblem = "missing" | "not-gguf" | "truncated" | "unreadable";

/** A model file that cannot be used as it is; the message says what to do. */
export class ModelFileError extends Error {
  override name = "ModelFileError";
  constructor(
    readonly problem: ModelFileProblem,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A URI whose file is not cached and cannot be downloaded now (offline, or downloads disabled). */
export class ModelUnavailableError extends Error {
  override name = "ModelUnavailableError";
  constructor(
    readonly uri: string,
    readonly cacheDir: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Whether a load failed for lack of memory, so a smaller model might work. node-llama-cpp
 * throws InsufficientMemoryError when its own estimate says no; llama.cpp's allocation
 * failures surface as plain errors mentioning memory or allocation.
 */
export function isMemoryError(error: unknown): boolean {
  if (error instanceof InsufficientMemoryError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /\b(out of memory|not enough (v?ram|memory)|insufficient memory|failed to allocate|alloc(ation)? failed|cudaMalloc|ErrorOutOfDeviceMemory|OOM)\b/i.test(
    message,
  );
}
