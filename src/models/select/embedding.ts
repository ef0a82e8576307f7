import { type EmbeddingCatalogEntry, embeddingCatalogEntry } from "../catalog/index.js";
import type { Budgets } from "./budget.js";
import { estimateMemory, type MemoryEstimate } from "./memory.js";

/** Tokens per input the embedding model is planned for: passages are short, queries shorter. */
export const DEFAULT_EMBEDDING_PLAN_CONTEXT = 2048;

export interface EmbeddingPlan {
  id: string;
  name: string;
  uri: string;
  dimensions: number;
  contextSize: number;
  estimate: MemoryEstimate;
  /** Where it is planned: on the GPU when it fits beside the reserve, else in RAM. */
  placement: "gpu" | "cpu";
  reason: string;
}

/**
 * Plans the embedding model first and takes its memory out of the budgets the chat model is
 * then chosen from, so both fit at once. An embedding context evaluates a whole input in one
 * batch, so the batch equals the context.
 */
export function planEmbedding(
  id: string,
  budgets: Budgets,
  contextSize = DEFAULT_EMBEDDING_PLAN_CONTEXT,
): { plan: EmbeddingPlan; budgets: Budgets } {
  const entry: EmbeddingCatalogEntry = embeddingCatalogEntry(id);
  const context = Math.min(contextSize, entry.architecture.nativeContext);
  const estimate = estimateMemory(entry.architecture, entry.file.sizeBytes, context, context);
  const onGpu = budgets.gpuBytes >= estimate.totalBytes;
  const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  const plan: EmbeddingPlan = {
    id: entry.id,
    name: entry.name,
    uri: entry.file.uri,
    dimensions: entry.dimensions,
    contextSize: context,
    estimate,
    placement: onGpu ? "gpu" : "cpu",
    reason: `Embeddings: ${entry.name} Q8_0 (${entry.dimensions} dimensions) at ${context} tokens needs ${mib(estimate.totalBytes)} (weights ${mib(estimate.weightsBytes)}${entry.file.sizeAccuracy === "exact" ? "" : ", estimated"}); planned ${onGpu ? "on the GPU" : "in RAM"} and taken from that budget before the chat model is chosen.`,
  };
  const next: Budgets = onGpu
    ? { ...budgets, gpuBytes: budgets.gpuBytes - estimate.totalBytes }
    : { ...budgets, ramBytes: Math.max(0, budgets.ramBytes - estimate.totalBytes) };
  return { plan, budgets: next };
}
