import type { CatalogEntry, Quantization, SizeAccuracy, TierName } from "../catalog/index.js";
import type { EmbeddingPlan } from "./embedding.js";
import type { Offload } from "./plan.js";

export type SelectionPolicy = "best-function-calling" | "adr-ladder";
export const SELECTION_POLICIES: readonly SelectionPolicy[] = [
  "best-function-calling",
  "adr-ladder",
];

export interface SelectOptions {
  /** Tokens of context to plan for. Default 8192, at most 32768, never beyond a model's native context. */
  contextSize?: number;
  /** Tiers (or release names) to try first, in order; they still have to fit. */
  prefer?: string | string[];
  /** Lowest acceptable BFCL v3 overall score; models without a published score are then left out. */
  minQuality?: number;
  /** Default "best-function-calling": the best BFCL score that fits. "adr-ladder": the original fixed ladder's four tiers in order. */
  policy?: SelectionPolicy;
  batchSize?: number;
  /**
   * An embedding model from EMBEDDING_CATALOG to run beside the chat model: its memory is taken
   * from the budgets first, so the chat model is chosen for what is left.
   */
  embedding?: string;
  /** Tokens per input to plan the embedding model for (default 2048, at most its trained context). */
  embeddingContextSize?: number;
  /** Another catalog (tests); defaults to MODEL_CATALOG. */
  catalog?: readonly CatalogEntry[];
}

export interface SelectionEstimate {
  weightsBytes: number;
  kvCacheBytes: number;
  computeBytes: number;
  totalBytes: number;
  /** The budget this plan is held to: GPU budget (full), RAM budget (none), both (partial). */
  budgetBytes: number;
  gpuBytes: number;
  cpuBytes: number;
  /** "catalog-arithmetic": from the catalog's numbers; "gguf-insights": from the file's header via node-llama-cpp. */
  source: "catalog-arithmetic" | "gguf-insights";
}

export interface ModelChoice {
  tier: TierName;
  model: {
    name: string;
    uri: string;
    repo: string;
    file: string;
    quantization: Quantization;
    sizeBytes: number;
    sizeAccuracy: SizeAccuracy;
  };
  contextSize: number;
  /** Pass to node-llama-cpp's `loadModel({ gpuLayers })`. */
  gpuLayers: number;
  offload: Offload;
  threads: number;
  batchSize: number;
  estimate: SelectionEstimate;
  /** False only when nothing in the catalog fits; the choice is then the smallest model. */
  fits: boolean;
  /** Expected decode speed on the CPU part, tokens/s (absent when all on the GPU). */
  cpuTokensPerSecond?: number;
  summary: string;
}

export interface ModelSelection extends ModelChoice {
  policy: SelectionPolicy;
  requestedContextSize: number;
  reasons: string[];
  /** Smaller fallbacks, in the order `loadModel` steps down to them when a load runs out of memory. */
  alternatives: ModelChoice[];
  /** The embedding model planned beside the chat model (with `embedding`). */
  embedding?: EmbeddingPlan;
}
