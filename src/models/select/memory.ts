import type { ArchitectureNumbers } from "../catalog/index.js";

/** llama.cpp pads the context to a multiple of 256 (`GGML_PAD` in llama_context). */
export const CONTEXT_PAD = 256;
/** node-llama-cpp's default batch: min(context, 512). */
export const DEFAULT_BATCH_SIZE = 512;
/** Bytes per K or V element: node-llama-cpp's default KV cache type is f16. */
export const KV_BYTES_PER_ELEMENT = 2;
const FLOAT_BYTES = 4;

export interface MemoryEstimate {
  /** The GGUF file's size: what llama.cpp maps or copies. */
  weightsBytes: number;
  /** K and V for every layer at the planned context. */
  kvCacheBytes: number;
  /** Graph scratch (attention scores, activations) plus the logits output buffer. */
  computeBytes: number;
  totalBytes: number;
}

export function padContext(contextSize: number): number {
  return Math.ceil(contextSize / CONTEXT_PAD) * CONTEXT_PAD;
}

/** 2 (K and V) × layers × KV heads × head dim × context × 2 bytes (f16). */
export function kvCacheBytes(arch: ArchitectureNumbers, contextSize: number): number {
  return (
    2 * arch.layers * arch.kvHeads * arch.headDim * padContext(contextSize) * KV_BYTES_PER_ELEMENT
  );
}

/**
 * The graph's scratch memory, following node-llama-cpp 3.22's estimator for llama/qwen3
 * without flash attention (GgufInsights.estimateContextResourceRequirements): the larger of
 * the per-batch activations and the full KQ score matrix (batch × context × heads floats)
 * plus its mask. Flash attention, which llama.cpp turns on where the GPU supports it, needs
 * far less; planning without it keeps the estimate on the safe side.
 */
export function graphBytes(
  arch: ArchitectureNumbers,
  contextSize: number,
  batchSize: number,
): number {
  const context = padContext(contextSize);
  const activeTokens = Math.max(1, Math.min(context, batchSize));
  const activations =
    FLOAT_BYTES * batchSize * (arch.embeddingLength + context * arch.attentionHeads);
  const attentionScores = FLOAT_BYTES * activeTokens * context * arch.attentionHeads;
  const attentionMask = FLOAT_BYTES * activeTokens * context;
  return Math.max(activations, attentionScores + attentionMask);
}

/** Logits for a whole batch (vocab × batch floats) plus the output ids (`output_reserve`). */
export function outputBufferBytes(arch: ArchitectureNumbers, batchSize: number): number {
  return FLOAT_BYTES * arch.vocabSize * batchSize + 4 * batchSize;
}

export function estimateMemory(
  arch: ArchitectureNumbers,
  weightsBytes: number,
  contextSize: number,
  batchSize: number = DEFAULT_BATCH_SIZE,
): MemoryEstimate {
  const kv = kvCacheBytes(arch, contextSize);
  const compute = graphBytes(arch, contextSize, batchSize) + outputBufferBytes(arch, batchSize);
  return {
    weightsBytes,
    kvCacheBytes: kv,
    computeBytes: compute,
    totalBytes: weightsBytes + kv + compute,
  };
}
