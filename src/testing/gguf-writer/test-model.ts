import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { type ChatFamily, type ChatFamilyName, chatFamily } from "./families.js";
import {
  alignUp,
  DEFAULT_ALIGNMENT,
  GgmlType,
  GgufValueType,
  LlamaFileType,
  tensorByteSize,
} from "./format.js";
import { encodeGgufHeader, type GgufTensorInfo, type GgufValue } from "./header.js";
import { SeededRandom } from "./random.js";
import { type ModelShape, modelShape, type ShapeName, validateShape } from "./shapes.js";
import { givenTensorData, onesF32, randomTensorData } from "./tensor-data.js";
import { buildVocabulary, minimumVocabularySize, type Vocabulary } from "./vocabulary.js";

export type TestModelQuant = "f32" | "f16" | "q8_0" | "q4_0";

/** Parts of a chat family a caller replaces, e.g. with a real model's template and special tokens. */
export type ChatFamilyOverrides = Partial<
  Pick<
    ChatFamily,
    | "architecture"
    | "displayName"
    | "controlTokens"
    | "userDefinedTokens"
    | "bosToken"
    | "eosToken"
    | "eotToken"
    | "addBosToken"
    | "chatTemplate"
  >
>;

export interface TestModelOptions {
  family?: ChatFamilyName | string;
  /** Replaces parts of the family (template, special tokens, architecture, name). */
  chat?: ChatFamilyOverrides;
  /**
   * Write `hearth.chat_wrapper` (default true). `false` leaves wrapper resolution to the
   * template and tokens alone, as for a real model's file.
   */
  declareChatWrapper?: boolean;
  /**
   * SentencePiece's `add_space_prefix` (llama.cpp's default for this tokenizer is true: a "▁"
   * after every special token). Real Qwen and Llama 3 tokenizers (byte-level BPE) add none, so
   * a file standing in for them sets false.
   */
  addSpacePrefix?: boolean;
  /** `general.size_label` (e.g. "3B"); node-llama-cpp picks Llama 3.2's lightweight wrapper by it. */
  sizeLabel?: string;
  shape?: ShapeName | ModelShape | string;
  quant?: TestModelQuant | string;
  /**
   * The vocabulary to write instead of the generated filler one; it must have exactly
   * `shape.vocabularySize` tokens.
   */
  vocabulary?: Vocabulary;
  /**
   * Trained weights instead of random ones, by tensor name, with GGUF dimensions (the reverse of
   * PyTorch's shape). Every tensor the shape has must be given, and no other; matrices are
   * written as F16 (quant "f16"), norms as F32. The file is then not marked `hearth.generated`.
   */
  weights?: ReadonlyMap<string, GivenTensor>;
  /** Weights are a pure function of the seed and the options. */
  seed?: number;
  /**
   * Makes an embedding model: writes `<arch>.pooling_type`, which llama.cpp reads to pool the
   * last layer's token vectors into one per input (Qwen3-Embedding is a qwen3 file with "last").
   */
  pooling?: EmbeddingPooling;
  out: string;
}

/** One trained tensor: its values and GGUF dimensions (innermost first). */
export interface GivenTensor {
  dims: number[];
  data: Float32Array;
}

/** llama.cpp's `enum llama_pooling_type` values a generated file can declare. */
export const POOLING_TYPES = { mean: 1, cls: 2, last: 3 } as const;
export type EmbeddingPooling = keyof typeof POOLING_TYPES;

export interface WrittenTestModel {
  path: string;
  bytes: number;
  parameters: number;
  family: ChatFamilyName;
  shape: ModelShape;
  quant: TestModelQuant;
  pooling?: EmbeddingPooling;
}

/** Marks files this writer made, so reports can say their accuracy is chance. */
export const HEARTH_GENERATED_KEY = "hearth.generated";
/** The node-llama-cpp chat wrapper to use for the file (see ChatFamily.chatWrapper). */
export const HEARTH_CHAT_WRAPPER_KEY = "hearth.chat_wrapper";

export const QUANTS: Record<TestModelQuant, { matrix: GgmlType; fileType: LlamaFileType }> = {
  // Trained weights exactly as trained: a parity check against the trainer needs no rounding.
  f32: { matrix: GgmlType.F32, fileType: LlamaFileType.AllF32 },
  f16: { matrix: GgmlType.F16, fileType: LlamaFileType.MostlyF16 },
  q8_0: { matrix: GgmlType.Q8_0, fileType: LlamaFileType.MostlyQ8_0 },
  q4_0: { matrix: GgmlType.Q4_0, fileType: LlamaFileType.MostlyQ4_0 },
};

export function quantFor(name: string): TestModelQuant {
  if (name in QUANTS) return name as TestModelQuant;
  throw new Error(`Unknown quantization "${name}". Use one of: ${Object.keys(QUANTS).join(", ")}.`);
}

interface PlannedTensor {
  name: string;
  dims: number[];
  type: GgmlType;
  /** Norms are ones; matrices random with this scale. */
  scale: number | "ones";
}

export function planTensors(
  family: ChatFamily,
  shape: ModelShape,
  matrixType: GgmlType,
): PlannedTensor[] {
  const { embeddingLength: embd, feedForwardLength: ff, headDim, headCount, headCountKv } = shape;
  const qWidth = headCount * headDim;
  const kvWidth = headCountKv * headDim;
  const matrix = (name: string, rowLength: number, rows: number): PlannedTensor => ({
    name,
    dims: [rowLength, rows],
    type: matrixType,
    scale: 1 / Math.sqrt(rowLength),
  });
  const norm = (name: string, length: number): PlannedTensor => ({
    name,
    dims: [length],
    type: GgmlType.F32,
    scale: "ones",
  });
  const tensors: PlannedTensor[] = [matrix("token_embd.weight", embd, shape.vocabularySize)];
  for (let block = 0; block < shape.blockCount; block++) {
    const prefix = `blk.${block}`;
    tensors.push(
      norm(`${prefix}.attn_norm.weight`, embd),
      matrix(`${prefix}.attn_q.weight`, embd, qWidth),
      matrix(`${prefix}.attn_k.weight`, embd, kvWidth),
      matrix(`${prefix}.attn_v.weight`, embd, kvWidth),
      matrix(`${prefix}.attn_output.weight`, qWidth, embd),
    );
    if (family.architecture === "qwen2") {
      // Qwen2 has biases on the q/k/v projections.
      tensors.push(
        norm(`${prefix}.attn_q.bias`, qWidth),
        norm(`${prefix}.attn_k.bias`, kvWidth),
        norm(`${prefix}.attn_v.bias`, kvWidth),
      );
    }
    if (family.architecture === "qwen3") {
      tensors.push(
        norm(`${prefix}.attn_q_norm.weight`, headDim),
        norm(`${prefix}.attn_k_norm.weight`, headDim),
      );
    }
    tensors.push(
      norm(`${prefix}.ffn_norm.weight`, embd),
      matrix(`${prefix}.ffn_gate.weight`, embd, ff),
      matrix(`${prefix}.ffn_down.weight`, ff, embd),
      matrix(`${prefix}.ffn_up.weight`, embd, ff),
    );
  }
  tensors.push(norm("output_norm.weight", embd));
  if (!shape.tiedEmbeddings) tensors.push(matrix("output.weight", embd, shape.vocabularySize));
  for (const tensor of tensors) {
    if (tensor.type !== GgmlType.F32 && tensor.dims[0] % 32 !== 0) {
      throw new Error(
        `Invalid model shape "${shape.name}": ${tensor.name} has rows of ${tensor.dims[0]} values; quantized and F16 test models need multiples of 32.`,
      );
    }
  }
  return tensors;
}

/** Every planned tensor given with its dimensions and values, and nothing else. */
function checkGivenWeights(
  planned: PlannedTensor[],
  weights: ReadonlyMap<string, GivenTensor>,
  shape: ModelShape,
): void {
  const problems: string[] = [];
  for (const tensor of planned) {
    const given = weights.get(tensor.name);
    const expected = `[${tensor.dims.join(", ")}]`;
    if (!given) {
      problems.push(`${tensor.name} is missing (expected GGUF dims ${expected})`);
      continue;
    }
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    if (given.dims.join(",") !== tensor.dims.join(","))
      problems.push(
        `${tensor.name} has GGUF dims [${given.dims.join(", ")}], expected ${expected}`,
      );
    else if (given.data.length !== count)
      problems.push(`${tensor.name} holds ${given.data.length} values, expected ${count}`);
  }
  const names = new Set(planned.map((tensor) => tensor.name));
  for (const name of weights.keys())
    if (!names.has(name)) problems.push(`${name} is not a tensor of this architecture and shape`);
  if (problems.length > 0) {
    throw new Error(
      `The given weights do not fit shape "${shape.name}": ${problems.join("; ")}. Export them from a model built with this shape's config.`,
    );
  }
}

interface TokenizerFlags {
  declareChatWrapper: boolean;
  generated: boolean;
  addSpacePrefix?: boolean;
  sizeLabel?: string;
}

function buildMetadata(
  family: ChatFamily,
  shape: ModelShape,
  vocabulary: Vocabulary,
  fileType: LlamaFileType,
  alignment: number,
  pooling: EmbeddingPooling | undefined,
  flags: TokenizerFlags,
): Array<[string, GgufValue]> {
  const arch = family.architecture;
  const u32 = (value: number): GgufValue => ({ type: GgufValueType.Uint32, value });
  const f32 = (value: number): GgufValue => ({ type: GgufValueType.Float32, value });
  const str = (value: string): GgufValue => ({ type: GgufValueType.String, value });
  const bool = (value: boolean): GgufValue => ({ type: GgufValueType.Bool, value });
  const entries: Array<[string, GgufValue]> = [
    ["general.architecture", str(arch)],
    [
      "general.name",
      str(flags.declareChatWrapper ? `${family.displayName} ${shape.name}` : family.displayName),
    ],
    ["general.alignment", u32(alignment)],
    ["general.file_type", u32(fileType)],
    ["general.quantization_version", u32(2)],
    ...(flags.generated ? [[HEARTH_GENERATED_KEY, bool(true)] as [string, GgufValue]] : []),
    ...(flags.declareChatWrapper
      ? [[HEARTH_CHAT_WRAPPER_KEY, str(family.chatWrapper)] as [string, GgufValue]]
      : []),
    [`${arch}.vocab_size`, u32(shape.vocabularySize)],
    [`${arch}.context_length`, u32(shape.contextLength)],
    [`${arch}.embedding_length`, u32(shape.embeddingLength)],
    [`${arch}.block_count`, u32(shape.blockCount)],
    [`${arch}.feed_forward_length`, u32(shape.feedForwardLength)],
    [`${arch}.attention.head_count`, u32(shape.headCount)],
    [`${arch}.attention.head_count_kv`, u32(shape.headCountKv)],
    [`${arch}.attention.key_length`, u32(shape.headDim)],
    [`${arch}.attention.value_length`, u32(shape.headDim)],
    [`${arch}.rope.dimension_count`, u32(shape.headDim)],
    [`${arch}.rope.freq_base`, f32(shape.ropeFreqBase)],
    [`${arch}.attention.layer_norm_rms_epsilon`, f32(shape.rmsEpsilon)],
    ["tokenizer.ggml.model", str("llama")],
    [
      "tokenizer.ggml.tokens",
      { type: GgufValueType.Array, itemType: GgufValueType.String, value: vocabulary.tokens },
    ],
    [
      "tokenizer.ggml.scores",
      { type: GgufValueType.Array, itemType: GgufValueType.Float32, value: vocabulary.scores },
    ],
    [
      "tokenizer.ggml.token_type",
      { type: GgufValueType.Array, itemType: GgufValueType.Int32, value: vocabulary.types },
    ],
    ["tokenizer.ggml.bos_token_id", u32(vocabulary.bosId)],
    ["tokenizer.ggml.eos_token_id", u32(vocabulary.eosId)],
    ["tokenizer.ggml.unknown_token_id", u32(vocabulary.unknownId)],
    ["tokenizer.ggml.padding_token_id", u32(vocabulary.unknownId)],
    ["tokenizer.ggml.add_bos_token", bool(family.addBosToken)],
    ["tokenizer.ggml.add_eos_token", bool(false)],
    ["tokenizer.chat_template", str(family.chatTemplate)],
  ];
  if (vocabulary.eotId !== undefined)
    entries.push(["tokenizer.ggml.eot_token_id", u32(vocabulary.eotId)]);
  if (pooling !== undefined) entries.push([`${arch}.pooling_type`, u32(POOLING_TYPES[pooling])]);
  if (flags.sizeLabel !== undefined) entries.push(["general.size_label", str(flags.sizeLabel)]);
  if (flags.addSpacePrefix !== undefined)
    entries.push(["tokenizer.ggml.add_space_prefix", bool(flags.addSpacePrefix)]);
  return entries;
}

/**
 * Writes a real GGUF v3 file with random weights: llama (or qwen3) architecture, an SPM
 * vocabulary with byte fallback and the chat family's tokens and template. llama.cpp loads
 * and runs it like any model; its words are noise, its mechanics are real.
 */
export async function writeTestModel(options: TestModelOptions): Promise<WrittenTestModel> {
  const family: ChatFamily = { ...chatFamily(options.family ?? "chatml"), ...options.chat };
  const shape = modelShape(options.shape ?? "tiny");
  const quant = quantFor(options.quant ?? "q8_0");
  const seed = options.seed ?? 42;
  const pooling = options.pooling;
  if (pooling !== undefined && !(pooling in POOLING_TYPES)) {
    throw new Error(
      `Unknown pooling "${String(pooling)}". Use one of: ${Object.keys(POOLING_TYPES).join(", ")}.`,
    );
  }
  validateShape(shape, minimumVocabularySize(family));
  if (options.vocabulary && options.vocabulary.tokens.length !== shape.vocabularySize) {
    throw new Error(
      `The vocabulary has ${options.vocabulary.tokens.length} tokens but shape "${shape.name}" has vocabularySize ${shape.vocabularySize}; they must be equal (the embedding has one row per token).`,
    );
  }
  const vocabulary = options.vocabulary ?? buildVocabulary(family, shape.vocabularySize);
  const planned = planTensors(family, shape, QUANTS[quant].matrix);
  if (options.weights) checkGivenWeights(planned, options.weights, shape);

  const alignment = DEFAULT_ALIGNMENT;
  let offset = 0;
  const infos: GgufTensorInfo[] = planned.map((tensor) => {
    const info = { name: tensor.name, dims: tensor.dims, type: tensor.type, offset };
    offset = alignUp(
      offset +
        tensorByteSize(
          tensor.type,
          tensor.dims.reduce((a, b) => a * b, 1),
        ),
      alignment,
    );
    return info;
  });
  const header = encodeGgufHeader(
    buildMetadata(family, shape, vocabulary, QUANTS[quant].fileType, alignment, pooling, {
      declareChatWrapper: options.declareChatWrapper ?? true,
      generated: options.weights === undefined,
      addSpacePrefix: options.addSpacePrefix,
      sizeLabel: options.sizeLabel,
    }),
    infos,
    alignment,
  );

  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  // Written beside the target and renamed: concurrent test processes never see a half file.
  const temporary = `${options.out}.${process.pid}.${Date.now()}.partial`;
  const file = await open(temporary, "w");
  let parameters = 0;
  try {
    await file.write(header);
    let written = 0;
    for (const [index, tensor] of planned.entries()) {
      const count = tensor.dims.reduce((a, b) => a * b, 1);
      parameters += count;
      const padding = infos[index].offset - written;
      if (padding > 0) await file.write(Buffer.alloc(padding));
      const given = options.weights?.get(tensor.name);
      const data = given
        ? givenTensorData(tensor.type, tensor.name, given.data)
        : tensor.scale === "ones"
          ? onesF32(count)
          : randomTensorData(
              tensor.type,
              count,
              SeededRandom.fromString(seed, tensor.name),
              tensor.scale,
            );
      await file.write(data);
      written = infos[index].offset + data.length;
    }
    await file.close();
    await rename(temporary, options.out);
  } catch (error) {
    await file.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
  return {
    path: path.resolve(options.out),
    bytes: header.length + offset,
    parameters,
    family: family.name,
    shape,
    quant,
    ...(pooling ? { pooling } : {}),
  };
}
