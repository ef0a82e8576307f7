import type { LlamaContext } from "node-llama-cpp";

/**
 * A token the model could not sample: llama.cpp's sampler threw (seen with damaged tensor data,
 * whose NaN logits make the grammar sampler pick a token no rule allows). The call fails with
 * this error; the context sequence is released and the model stays usable for other calls.
 */
export class ModelSamplingError extends Error {
  override readonly name = "ModelSamplingError";
  constructor(
    readonly modelFile: string,
    readonly nativeMessage: string,
  ) {
    super(
      `The model could not sample its next token (${nativeMessage}). Its output is not a valid ` +
        `distribution, which usually means the file's tensor data is damaged: ${modelFile}. ` +
        "Download it again (`hearth pull`) or check the file; other models are not affected.",
    );
  }
}

interface NativeSampler {
  sampleToken(...args: unknown[]): Promise<unknown>;
}

const guarded = new WeakMap<LlamaContext, { lastError?: string }>();

/**
 * Why this exists: in node-llama-cpp 3.22, a sampling error thrown by the native addon rejects a
 * promise inside `LlamaContext.dispatchPendingBatch`, whose lock promise is discarded (`void`).
 * The rejection becomes an unhandled rejection (which kills a CLI), and the decode waiting for
 * that batch never settles: the call hangs, aborting does not free it, and the sequence is never
 * handed back. The library's own path for a failed sample is the token -1 ("Failed to sample next
 * token"), which it throws to the caller properly. So the native `sampleToken` of this context is
 * wrapped to turn a thrown error into that -1, remembering the native message so `generate` can
 * report it. Guarded by shape: if a later node-llama-cpp renames the handle, nothing is wrapped.
 */
export function guardSampling(context: LlamaContext): void {
  if (guarded.has(context)) return;
  const native = (context as unknown as { _ctx?: NativeSampler })._ctx;
  if (!native || typeof native.sampleToken !== "function") return;
  const state: { lastError?: string } = {};
  guarded.set(context, state);
  const sampleToken = native.sampleToken.bind(native);
  // The addon's method is read-only on its prototype: an own property on the instance shadows it.
  Object.defineProperty(native, "sampleToken", {
    configurable: true,
    value: async (...args: unknown[]) => {
      try {
        return await sampleToken(...args);
      } catch (error) {
        state.lastError = error instanceof Error ? error.message : String(error);
        // With the probability/confidence flags the library destructures an array.
        return args.length > 2 ? [-1] : -1;
      }
    },
  });
}

/** The native error behind a failed sample on this context, once (it is cleared when read). */
export function takeSamplingError(context: LlamaContext): string | undefined {
  const state = guarded.get(context);
  const message = state?.lastError;
  if (state) state.lastError = undefined;
  return message;
}
