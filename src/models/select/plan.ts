import type { ArchitectureNumbers } from "../catalog/index.js";
import type { Budgets } from "./budget.js";
import { graphBytes, type MemoryEstimate } from "./memory.js";

export type Offload = "full" | "partial" | "none";

/** Where one model file at one context would live, and whether that is acceptable. */
export interface Placement {
  offload: Offload;
  /** The number for node-llama-cpp's `gpuLayers`: all blocks + the output layer when full. */
  gpuLayers: number;
  gpuBytes: number;
  cpuBytes: number;
  /** Weights the CPU reads per generated token; decides CPU speed. */
  cpuWeightsBytes: number;
  /** The budget the binding part of the plan is held to (GPU, RAM, or both for a split). */
  budgetBytes: number;
  fitsMemory: boolean;
  fastEnough: boolean;
}

/** Every layer plus the output layer on the GPU, if the whole estimate fits its budget. */
export function placeOnGpu(
  estimate: MemoryEstimate,
  arch: ArchitectureNumbers,
  budgets: Budgets,
): Placement | undefined {
  if (budgets.gpuBytes <= 0 || estimate.totalBytes > budgets.gpuBytes) return undefined;
  return {
    offload: "full",
    gpuLayers: arch.layers + 1,
    gpuBytes: estimate.totalBytes,
    cpuBytes: 0,
    cpuWeightsBytes: 0,
    budgetBytes: budgets.gpuBytes,
    fitsMemory: true,
    fastEnough: true,
  };
}

/**
 * The plan when the whole model does not fit on the GPU: as many layers on a discrete GPU as
 * its budget holds (each layer takes its share of weights, KV cache and graph scratch), the
 * rest in RAM. Without a discrete GPU, everything runs on the CPU. Unified memory gets no
 * split: the layers would come out of the same memory either way.
 */
export function placeOffGpu(
  estimate: MemoryEstimate,
  arch: ArchitectureNumbers,
  contextSize: number,
  batchSize: number,
  budgets: Budgets,
): Placement {
  const cpuOnly = (): Placement => ({
    offload: "none",
    gpuLayers: 0,
    gpuBytes: 0,
    cpuBytes: estimate.totalBytes,
    cpuWeightsBytes: estimate.weightsBytes,
    budgetBytes: budgets.ramBytes,
    fitsMemory: estimate.totalBytes <= budgets.ramBytes,
    fastEnough: estimate.weightsBytes <= budgets.cpuWeightsCapBytes,
  });
  if (budgets.unified || budgets.gpuBytes <= 0) return cpuOnly();
  const perLayer =
    (estimate.weightsBytes + estimate.kvCacheBytes + graphBytes(arch, contextSize, batchSize)) /
    arch.layers;
  const layers = Math.min(arch.layers - 1, Math.floor(budgets.gpuBytes / perLayer));
  if (layers < 1) return cpuOnly();
  const gpuBytes = Math.round(layers * perLayer);
  const cpuBytes = estimate.totalBytes - gpuBytes;
  const cpuWeightsBytes = Math.round(
    (estimate.weightsBytes * (arch.layers - layers)) / arch.layers,
  );
  return {
    offload: "partial",
    gpuLayers: layers,
    gpuBytes,
    cpuBytes,
    cpuWeightsBytes,
    budgetBytes: budgets.gpuBytes + budgets.ramBytes,
    fitsMemory: cpuBytes <= budgets.ramBytes,
    fastEnough: cpuWeightsBytes <= budgets.cpuWeightsCapBytes,
  };
}
