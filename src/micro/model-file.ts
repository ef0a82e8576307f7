import {
  type ModelShape,
  type Vocabulary,
  type WrittenTestModel,
  writeTestModel,
} from "../testing/gguf-writer/index.js";
import { QWEN2_5_CHAT_TEMPLATE } from "./qwen2.5-chat-template.js";
import { MICRO_CONTROL_TOKENS, MICRO_USER_DEFINED_TOKENS } from "./vocabulary/index.js";
import { readMicroWeights } from "./weights-file.js";

/** The model's name in `general.name`. */
export const MICRO_DISPLAY_NAME = "Hearth Micro";

/**
 * The default shape (for the tokenizer-only file, written before any training): qwen3, d=128,
 * 3 blocks, 4 heads of 32, SwiGLU 384, tied embeddings. A trained file takes the shape its
 * weights were trained with.
 */
export function microShape(
  vocabularySize: number,
  overrides: Partial<ModelShape> = {},
): ModelShape {
  return {
    name: "hearth-micro",
    vocabularySize,
    embeddingLength: 128,
    blockCount: 3,
    feedForwardLength: 384,
    headCount: 4,
    headCountKv: 4,
    headDim: 32,
    contextLength: 8192,
    ropeFreqBase: 1000000,
    rmsEpsilon: 1e-6,
    tiedEmbeddings: true,
    ...overrides,
  };
}

export interface MicroModelOptions {
  out: string;
  vocabulary: Vocabulary;
  /** A directory with `weights.json` and `weights.bin` from the trainer; random weights without. */
  weights?: string;
  /** Without weights: the shape (default `microShape`). With weights: must equal their config. */
  shape?: ModelShape;
  /** Seed of the random weights. */
  seed?: number;
  /**
   * Matrix encoding (default "f16", half the size). "f32" keeps trained values exact, for
   * checking that llama.cpp computes what the trainer computed.
   */
  quant?: "f16" | "f32";
}

function describeShapeDifference(given: ModelShape, trained: ModelShape): string[] {
  return (Object.keys(trained) as Array<keyof ModelShape>)
    .filter((key) => key !== "name" && given[key] !== trained[key])
    .map((key) => `${key} ${String(given[key])} (given) vs ${String(trained[key])} (weights)`);
}

/**
 * Writes Hearth Micro's GGUF: qwen3 architecture, the given vocabulary (SPM, no space prefix),
 * Qwen2.5's real chat template and special tokens, no `hearth.chat_wrapper` (node-llama-cpp
 * resolves the wrapper from the template, as for a real Qwen file), F16 matrices and F32 norms,
 * and the trained weights when a weights directory is given (every tensor checked against the
 * shape), random ones otherwise.
 */
export async function writeMicroModel(options: MicroModelOptions): Promise<WrittenTestModel> {
  const { vocabulary } = options;
  let shape = options.shape ?? microShape(vocabulary.tokens.length);
  let tensors: Awaited<ReturnType<typeof readMicroWeights>>["tensors"] | undefined;
  if (options.weights !== undefined) {
    const trained = await readMicroWeights(options.weights);
    if (options.shape) {
      const differences = describeShapeDifference(options.shape, trained.shape);
      if (differences.length > 0) {
        throw new Error(
          `The weights in ${options.weights} were trained with another shape: ${differences.join("; ")}.`,
        );
      }
    }
    if (trained.shape.vocabularySize !== vocabulary.tokens.length) {
      throw new Error(
        `The weights in ${options.weights} were trained for ${trained.shape.vocabularySize} tokens but the vocabulary has ${vocabulary.tokens.length}: train and export with the same vocabulary file.`,
      );
    }
    shape = trained.shape;
    tensors = trained.tensors;
  }
  return writeTestModel({
    family: "qwen",
    chat: {
      architecture: "qwen3",
      displayName: MICRO_DISPLAY_NAME,
      controlTokens: MICRO_CONTROL_TOKENS,
      userDefinedTokens: MICRO_USER_DEFINED_TOKENS,
      bosToken: "<|endoftext|>",
      eosToken: "<|im_end|>",
      eotToken: "<|endoftext|>",
      addBosToken: false,
      chatTemplate: QWEN2_5_CHAT_TEMPLATE,
    },
    declareChatWrapper: false,
    addSpacePrefix: false,
    shape,
    quant: options.quant ?? "f16",
    seed: options.seed,
    vocabulary,
    weights: tensors,
    out: options.out,
  });
}
