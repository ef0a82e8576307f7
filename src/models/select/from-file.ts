import { stat } from "node:fs/promises";
import {
  type GgufFileInfo,
  GgufInsights,
  type GgufInsightsResourceRequirements,
  type Llama,
  readGgufFileInfo,
} from "node-llama-cpp";
import type { ArchitectureNumbers } from "../catalog/index.js";
import { DEFAULT_CONTEXT_SIZE } from "../context/index.js";
import { formatGiB, type HardwareProfile } from "../hardware/index.js";
import { getHearthLlama } from "../runtime/index.js";
import { budgetsFor } from "./budget.js";
import { DEFAULT_BATCH_SIZE, estimateMemory, type MemoryEstimate } from "./memory.js";
import type { ModelSelection } from "./types.js";

function largest(value: number | number[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? Math.max(...value) : value;
}

/** The memory-relevant numbers of any GGUF, in the catalog's shape. */
export function architectureFromGguf(info: GgufFileInfo): ArchitectureNumbers {
  const arch = info.architectureMetadata;
  const architecture = info.metadata.general?.architecture ?? "unknown";
  const layers = arch.block_count;
  const attentionHeads = largest(arch.attention?.head_count);
  const embeddingLength = arch.embedding_length;
  if (!layers || !attentionHeads || !embeddingLength) {
    throw new Error(
      `The GGUF header lacks ${architecture}.block_count, attention.head_count or embedding_length; cannot estimate its memory.`,
    );
  }
  const vocabSize = arch.vocab_size ?? info.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
  return {
    ggufArchitecture: architecture,
    layers,
    attentionHeads,
    kvHeads: largest(arch.attention?.head_count_kv) ?? attentionHeads,
    headDim: arch.attention?.key_length ?? embeddingLength / attentionHeads,
    embeddingLength,
    vocabSize,
    nativeContext: arch.context_length ?? 4096,
  };
}

export interface FileEstimateOptions {
  contextSize?: number;
  /** Layers on the GPU for node-llama-cpp's split; default all (`totalLayers`). */
  gpuLayers?: number;
  batchSize?: number;
  /** Defaults to the process's runtime (getHearthLlama). */
  llama?: Llama;
}

export interface FileEstimate {
  path: string;
  fileBytes: number;
  architecture: ArchitectureNumbers;
  contextSize: number;
  gpuLayers: number;
  /** Hearth's arithmetic on the header's numbers and the file size. */
  arithmetic: MemoryEstimate;
  /** node-llama-cpp's GgufInsights for the same file and settings. */
  insights: {
    model: GgufInsightsResourceRequirements;
    context: GgufInsightsResourceRequirements;
    totalBytes: number;
  };
  source: "gguf-insights";
}

/**
 * Reads a GGUF header (no weights) and estimates its memory two ways: Hearth's arithmetic and
 * node-llama-cpp's `GgufInsights` (`estimateModelResourceRequirements` +
 * `estimateContextResourceRequirements`, which sizes each tensor from the header). The latter
 * is the better number for a file on disk; the former is what the catalog-based selector uses,
 * so the two can be compared.
 */
export async function estimateModelFile(
  path: string,
  options: FileEstimateOptions = {},
): Promise<FileEstimate> {
  const [info, stats] = await Promise.all([
    readGgufFileInfo(path, { logWarnings: false }),
    stat(path),
  ]);
  const architecture = architectureFromGguf(info);
  const contextSize = Math.min(
    options.contextSize ?? DEFAULT_CONTEXT_SIZE,
    architecture.nativeContext,
  );
  const batchSize = Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, contextSize);
  const llama = options.llama ?? (await getHearthLlama());
  const insights = await GgufInsights.from(info, llama);
  const gpuLayers = Math.max(
    0,
    Math.min(options.gpuLayers ?? insights.totalLayers, insights.totalLayers),
  );
  const model = insights.estimateModelResourceRequirements({ gpuLayers });
  const context = insights.estimateContextResourceRequirements({
    contextSize,
    modelGpuLayers: gpuLayers,
    batchSize,
    flashAttention: false,
  });
  return {
    path,
    fileBytes: stats.size,
    architecture,
    contextSize,
    gpuLayers,
    arithmetic: estimateMemory(architecture, stats.size, contextSize, batchSize),
    insights: {
      model,
      context,
      totalBytes: model.cpuRam + model.gpuVram + context.cpuRam + context.gpuVram,
    },
    source: "gguf-insights",
  };
}

/**
 * Re-checks a catalog-based selection against the real file once it is on disk: swaps in
 * node-llama-cpp's estimate for the file, and says so (and whether the plan still fits).
 */
export async function refineSelectionWithFile(
  selection: ModelSelection,
  path: string,
  hardware: HardwareProfile,
  llama?: Llama,
): Promise<ModelSelection> {
  const fileEstimate = await estimateModelFile(path, {
    contextSize: selection.contextSize,
    gpuLayers: selection.gpuLayers,
    batchSize: selection.batchSize,
    llama,
  });
  const { model, context, totalBytes } = fileEstimate.insights;
  const budgets = budgetsFor(hardware);
  const gpuBytes = model.gpuVram + context.gpuVram;
  const cpuBytes = model.cpuRam + context.cpuRam;
  const stillFits =
    selection.offload === "full"
      ? gpuBytes <= budgets.gpuBytes
      : selection.offload === "partial"
        ? gpuBytes <= budgets.gpuBytes && cpuBytes <= budgets.ramBytes
        : cpuBytes <= budgets.ramBytes;
  return {
    ...selection,
    model: { ...selection.model, sizeBytes: fileEstimate.fileBytes, sizeAccuracy: "exact" },
    estimate: {
      ...selection.estimate,
      weightsBytes: fileEstimate.fileBytes,
      totalBytes,
      gpuBytes,
      cpuBytes,
      source: "gguf-insights",
    },
    fits: selection.fits && stillFits,
    reasons: [
      ...selection.reasons,
      `Re-estimated from the file's GGUF header with node-llama-cpp's GgufInsights: ${formatGiB(totalBytes, 2)} (GPU ${formatGiB(gpuBytes, 2)}, RAM ${formatGiB(cpuBytes, 2)}) against the catalog arithmetic's ${formatGiB(selection.estimate.totalBytes, 2)}; ${stillFits ? "the plan still fits" : "the plan no longer fits its budget"}.`,
    ],
  };
}
