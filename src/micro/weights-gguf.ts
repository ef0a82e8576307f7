import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { alignUp, DEFAULT_ALIGNMENT } from "../testing/gguf-writer/format.js";
import {
  chatFamily,
  encodeGgufHeader,
  GgmlType,
  type GgufTensorInfo,
  type GgufValue,
  GgufValueType,
  LlamaFileType,
  type ModelShape,
  type Vocabulary,
} from "../testing/gguf-writer/index.js";

/** `<dir>/weights.json` as the PyTorch trainer writes it (training/micro/weights.py). */
export interface WeightsExchange {
  config: Omit<ModelShape, "name">;
  tensors: Array<{ name: string; shape: number[]; offset: number }>;
}

export async function readWeightsExchange(
  directory: string,
): Promise<{ exchange: WeightsExchange; data: Buffer }> {
  const exchange = JSON.parse(
    await readFile(path.join(directory, "weights.json"), "utf8"),
  ) as WeightsExchange;
  const data = await readFile(path.join(directory, "weights.bin"));
  return { exchange, data };
}

/**
 * A qwen3 GGUF holding the trainer's float32 weights as they are (F32 tensors, so llama.cpp
 * computes with exactly the values PyTorch did) and the given SPM vocabulary.
 */
export async function writeWeightsGguf(options: {
  weightsDir: string;
  vocabulary: Vocabulary;
  out: string;
}): Promise<void> {
  const { exchange, data } = await readWeightsExchange(options.weightsDir);
  const { config } = exchange;
  if (options.vocabulary.tokens.length !== config.vocabularySize) {
    throw new Error(
      `The vocabulary has ${options.vocabulary.tokens.length} pieces but the weights were trained for ${config.vocabularySize}; train with --vocab-size ${options.vocabulary.tokens.length}.`,
    );
  }
  const family = chatFamily("qwen");
  const u32 = (value: number): GgufValue => ({ type: GgufValueType.Uint32, value });
  const f32 = (value: number): GgufValue => ({ type: GgufValueType.Float32, value });
  const str = (value: string): GgufValue => ({ type: GgufValueType.String, value });
  const bool = (value: boolean): GgufValue => ({ type: GgufValueType.Bool, value });
  const { vocabulary } = options;
  const metadata: Array<[string, GgufValue]> = [
    ["general.architecture", str("qwen3")],
    ["general.name", str("hearth-micro")],
    ["general.alignment", u32(DEFAULT_ALIGNMENT)],
    ["general.file_type", u32(LlamaFileType.AllF32)],
    ["qwen3.vocab_size", u32(config.vocabularySize)],
    ["qwen3.context_length", u32(config.contextLength)],
    ["qwen3.embedding_length", u32(config.embeddingLength)],
    ["qwen3.block_count", u32(config.blockCount)],
    ["qwen3.feed_forward_length", u32(config.feedForwardLength)],
    ["qwen3.attention.head_count", u32(config.headCount)],
    ["qwen3.attention.head_count_kv", u32(config.headCountKv)],
    ["qwen3.attention.key_length", u32(config.headDim)],
    ["qwen3.attention.value_length", u32(config.headDim)],
    ["qwen3.rope.dimension_count", u32(config.headDim)],
    ["qwen3.rope.freq_base", f32(config.ropeFreqBase)],
    ["qwen3.attention.layer_norm_rms_epsilon", f32(config.rmsEpsilon)],
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
    ["tokenizer.ggml.add_bos_token", bool(false)],
    ["tokenizer.ggml.add_space_prefix", bool(false)],
    ["tokenizer.chat_template", str(family.chatTemplate)],
  ];
  let offset = 0;
  const infos: GgufTensorInfo[] = exchange.tensors.map((tensor) => {
    const info = {
      name: tensor.name,
      dims: [...tensor.shape].reverse(),
      type: GgmlType.F32,
      offset,
    };
    offset = alignUp(offset + 4 * tensor.shape.reduce((a, b) => a * b, 1), DEFAULT_ALIGNMENT);
    return info;
  });
  const body = Buffer.alloc(offset);
  for (const [index, tensor] of exchange.tensors.entries()) {
    const bytes = 4 * tensor.shape.reduce((a, b) => a * b, 1);
    if (tensor.offset + bytes > data.length) {
      throw new Error(
        `${options.weightsDir}/weights.bin ends before ${tensor.name}; rewrite the weights.`,
      );
    }
    data.copy(body, infos[index].offset, tensor.offset, tensor.offset + bytes);
  }
  const header = encodeGgufHeader(metadata, infos, DEFAULT_ALIGNMENT);
  await writeFile(options.out, Buffer.concat([header, body]));
}
