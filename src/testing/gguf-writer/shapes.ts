/**
 * Model shapes. `tiny` is for tests; the others copy real models' architecture numbers
 * (their config.json on Hugging Face) so benchmarks measure the speed of the real
 * shape: decode cost depends on shape, not on the weights' values.
 */
export interface ModelShape {
  name: string;
  vocabularySize: number;
  embeddingLength: number;
  blockCount: number;
  feedForwardLength: number;
  headCount: number;
  headCountKv: number;
  /** Per-head width; Qwen3 sets 128 explicitly, so heads × headDim may differ from the embedding. */
  headDim: number;
  contextLength: number;
  ropeFreqBase: number;
  rmsEpsilon: number;
  /** Output projection shares the token embedding (Qwen3 ≤ 4B does this). */
  tiedEmbeddings: boolean;
}

export type ShapeName = "tiny" | "small" | "qwen3-0.6b" | "qwen3-1.7b" | "qwen3-8b" | "qwen3-14b";

export const MODEL_SHAPES: Record<ShapeName, ModelShape> = {
  tiny: {
    name: "tiny",
    vocabularySize: 640,
    embeddingLength: 64,
    blockCount: 2,
    feedForwardLength: 128,
    headCount: 4,
    headCountKv: 2,
    headDim: 16,
    contextLength: 32768,
    ropeFreqBase: 10000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: true,
  },
  small: {
    name: "small",
    vocabularySize: 32768,
    embeddingLength: 256,
    blockCount: 4,
    feedForwardLength: 768,
    headCount: 8,
    headCountKv: 4,
    headDim: 32,
    contextLength: 32768,
    ropeFreqBase: 1000000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: true,
  },
  "qwen3-0.6b": {
    name: "qwen3-0.6b",
    vocabularySize: 151936,
    embeddingLength: 1024,
    blockCount: 28,
    feedForwardLength: 3072,
    headCount: 16,
    headCountKv: 8,
    headDim: 128,
    contextLength: 40960,
    ropeFreqBase: 1000000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: true,
  },
  "qwen3-1.7b": {
    name: "qwen3-1.7b",
    vocabularySize: 151936,
    embeddingLength: 2048,
    blockCount: 28,
    feedForwardLength: 6144,
    headCount: 16,
    headCountKv: 8,
    headDim: 128,
    contextLength: 40960,
    ropeFreqBase: 1000000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: true,
  },
  // GPU tiers: for shape arithmetic and GPU benchmarks (multi-GB files; tests never write them).
  // https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json
  "qwen3-8b": {
    name: "qwen3-8b",
    vocabularySize: 151936,
    embeddingLength: 4096,
    blockCount: 36,
    feedForwardLength: 12288,
    headCount: 32,
    headCountKv: 8,
    headDim: 128,
    contextLength: 40960,
    ropeFreqBase: 1000000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: false,
  },
  // https://huggingface.co/Qwen/Qwen3-14B/blob/main/config.json
  "qwen3-14b": {
    name: "qwen3-14b",
    vocabularySize: 151936,
    embeddingLength: 5120,
    blockCount: 40,
    feedForwardLength: 17408,
    headCount: 40,
    headCountKv: 8,
    headDim: 128,
    contextLength: 40960,
    ropeFreqBase: 1000000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: false,
  },
};

export function modelShape(shape: ShapeName | ModelShape | string): ModelShape {
  if (typeof shape === "object") return shape;
  const found = MODEL_SHAPES[shape as ShapeName];
  if (!found) {
    throw new Error(
      `Unknown model shape "${shape}". Known shapes: ${Object.keys(MODEL_SHAPES).join(", ")}.`,
    );
  }
  return found;
}

/** The shape's counts and sizes: positive integers in every valid shape. */
export const SHAPE_INTEGER_FIELDS = [
  "vocabularySize",
  "embeddingLength",
  "blockCount",
  "feedForwardLength",
  "headCount",
  "headCountKv",
  "headDim",
  "contextLength",
] as const;

/** Rejects shapes llama.cpp would refuse or mis-read, before any bytes are written. */
export function validateShape(shape: ModelShape, minimumVocabulary: number): void {
  const problems: string[] = [];
  for (const key of SHAPE_INTEGER_FIELDS) {
    if (!Number.isInteger(shape[key]) || shape[key] < 1)
      problems.push(`${key} must be a positive integer (got ${shape[key]})`);
  }
  if (shape.headCount % shape.headCountKv !== 0) {
    problems.push(
      `headCount (${shape.headCount}) must be a multiple of headCountKv (${shape.headCountKv}) for grouped-query attention`,
    );
  }
  if (shape.headDim % 2 !== 0) problems.push(`headDim (${shape.headDim}) must be even for RoPE`);
  if (shape.vocabularySize < minimumVocabulary) {
    problems.push(
      `vocabularySize (${shape.vocabularySize}) is smaller than the ${minimumVocabulary} tokens every file needs (3 SPM specials, 256 byte-fallback tokens and the family's control tokens)`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid model shape "${shape.name}": ${problems.join("; ")}.`);
  }
}
