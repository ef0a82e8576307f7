import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { HumanMessage } from "@langchain/core/messages";
import {
  type GgufFileInfo,
  type LlamaModel,
  readGgufFileInfo,
  resolveChatWrapper,
} from "node-llama-cpp";
import { parseBackendSpec } from "../../src/cli/eval-backends.js";
import {
  learnMicroVocabulary,
  loadVocabulary,
  microShape,
  saveVocabulary,
  writeMicroModel,
} from "../../src/micro/index.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { MICRO_MODEL_FILE, resolveModelPath } from "../../src/models/load/index.js";
import { getHearthLlama } from "../../src/models/runtime/index.js";
import type { ModelShape, Vocabulary } from "../../src/testing/gguf-writer/index.js";

const CORPUS = [
  'You are a helpful assistant. Use the calculator for arithmetic and "search_documents" for questions about the docs.',
  '<|im_start|>user\nWhat is 48 * 12?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n{"name": "calculator", "arguments": {"expression": "48 * 12"}}\n</tool_call><|im_end|>',
  "<|im_start|>user\n<tool_response>\n576\n</tool_response><|im_end|>\n<|im_start|>assistant\nThe answer is 576.<|im_end|>",
  '{"route": "tools", "reason": "needs the calculator"} {"grounded": true, "complete": true, "critique": ""}',
  "What time is it in Tokyo? The time in Tokyo is 09:05. What time is it in Paris? It is 14:30 in Paris.",
];

const scratch = mkdtempSync(path.join(tmpdir(), "hearth-micro-file-"));
let vocabulary: Vocabulary;
let model: LlamaModel;
let modelFile: string;
const chats: ChatNodeLlamaCpp[] = [];

before(async () => {
  vocabulary = learnMicroVocabulary(Array.from({ length: 20 }, () => CORPUS).flat(), {
    pieces: 300,
  });
  modelFile = path.join(scratch, "micro.gguf");
  await writeMicroModel({ out: modelFile, vocabulary, seed: 7 });
  model = await (await getHearthLlama()).loadModel({ modelPath: modelFile });
});

after(async () => {
  for (const chat of chats) await chat.dispose();
  await model?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

const pieces = (text: string, specials = false) =>
  [...model.tokenize(text, specials)].map((token) => model.detokenize([token], specials));

describe("Hearth Micro's file: the learned vocabulary in llama.cpp", () => {
  it("numbers 0-999 are one token, alone and after a space, zero-padded too", () => {
    for (let value = 0; value < 1000; value++) {
      for (const text of [String(value), ` ${value}`]) {
        assert.deepEqual(
          pieces(text),
          [text],
          `${JSON.stringify(text)} → ${JSON.stringify(pieces(text))}`,
        );
      }
    }
    for (const text of ["05", "09", "007", " 00"]) assert.deepEqual(pieces(text), [text]);
  });

  it("longer digit runs split in threes from the left, the same way every time", () => {
    assert.deepEqual(pieces("1234"), ["123", "4"]);
    assert.deepEqual(pieces(" 12345"), [" 123", "45"]);
    assert.deepEqual(pieces("at 09:05"), ["at", " 09", ":", "05"]);
    assert.deepEqual(pieces('"48 * 12"'), ['"', "48", " *", " 12", '"']);
    const inText = pieces("is 1234567.");
    assert.deepEqual(inText.slice(-4), [" 123", "456", "7", "."], JSON.stringify(inText));
  });

  it("llama.cpp's SPM tokenizer rebuilds every learned piece from its merges (one token each)", () => {
    const learned = vocabulary.tokens.filter(
      (token, index) =>
        vocabulary.types[index] === 1 && token.length > 1 && !/^▁?[0-9]+$/.test(token),
    );
    assert.ok(learned.length > 100, String(learned.length));
    const broken = learned.filter((piece) => {
      const text = piece.replaceAll("▁", " ");
      return model.tokenize(text).length !== 1;
    });
    assert.deepEqual(broken, []);
  });

  it("JSON and chat text round-trip through tokenize and detokenize", () => {
    for (const text of [
      '{"name": "calculator", "arguments": {"expression": "48 * 12"}}',
      "The time in Tokyo is 09:05.\n\nIt is 14:30 in Paris!",
      "Zürich — São Paulo 😀 tabs\tand  double  spaces\n",
      '{"route": "direct", "reason": "a greeting"}',
    ]) {
      assert.equal(model.detokenize(model.tokenize(text)), text);
    }
    // Learned pieces make common text far shorter than characters.
    const json = '{"name": "calculator", "arguments": {"expression": "48 * 12"}}';
    assert.ok(model.tokenize(json).length < json.length / 2, JSON.stringify(pieces(json)));
  });

  it("special tokens are single tokens when specials are on, and text when off", () => {
    for (const special of [
      "<|im_start|>",
      "<|im_end|>",
      "<|endoftext|>",
      "<tool_call>",
      "</tool_call>",
      "<tool_response>",
      "</tool_response>",
      "<think>",
      "</think>",
    ]) {
      const tokens = model.tokenize(special, true);
      assert.equal(tokens.length, 1, `${special} → ${JSON.stringify(pieces(special, true))}`);
      assert.equal(model.detokenize(tokens, true), special);
    }
    assert.ok(model.tokenize("<|im_start|>", false).length > 1);
    const chat = "<|im_start|>assistant\n<tool_call>\n{";
    assert.deepEqual(pieces(chat, true).slice(0, 2), ["<|im_start|>", "assistant"]);
  });

  it("metadata: Hearth Micro, Qwen2.5's template, no wrapper key, no space prefix, F16 matrices", async () => {
    const info = await readGgufFileInfo(modelFile);
    // biome-ignore lint/suspicious/noExplicitAny: GGUF metadata is untyped here.
    const metadata = info.metadata as any;
    assert.equal(metadata.general.name, "Hearth Micro");
    assert.equal(metadata.general.architecture, "qwen3");
    assert.equal(metadata.hearth?.chat_wrapper, undefined);
    assert.equal(metadata.tokenizer.ggml.add_space_prefix, false);
    const fixture = fileURLToPath(
      new URL("../fixtures/chat-templates/qwen2.5.jinja", import.meta.url),
    );
    assert.equal(metadata.tokenizer.chat_template, readFileSync(fixture, "utf8"));
    assert.equal(metadata.tokenizer.ggml.tokens.length, vocabulary.tokens.length);
    const types = new Map(info.tensorInfo?.map((tensor) => [tensor.name, tensor.ggmlType]));
    assert.equal(types.get("blk.0.attn_q.weight"), 1); // F16
    assert.equal(types.get("blk.0.attn_norm.weight"), 0); // F32
  });

  it("node-llama-cpp resolves Qwen's chat wrapper from the template, and Hearth renders with it", async () => {
    assert.equal(resolveChatWrapper(model)?.wrapperName, "Qwen");
    const chat = new ChatNodeLlamaCpp({ model, contextSize: 1024 });
    chats.push(chat);
    const reply = await chat.invoke([new HumanMessage("What is 2 + 2?")], {
      maxTokens: 1,
    } as never);
    // Qwen2.5's template renders tool results as node-llama-cpp's Qwen wrapper does not, so
    // Hearth renders with the template itself (as for a real Qwen2.5 file).
    assert.equal(reply.response_metadata.promptFormat, "model template");
    const runtime = await chat.ensureLoaded();
    const evaluated = model.detokenize(runtime.pool.all[0].contextTokens, true);
    assert.ok(
      evaluated.includes("<|im_start|>user\nWhat is 2 + 2?<|im_end|>\n<|im_start|>assistant\n"),
      evaluated,
    );
  });
});

describe("Hearth Micro's file: given weights and the vocabulary file", () => {
  it("writes the trained values (F16 matrices, F32 norms) a weights directory holds", async () => {
    const shape = microShape(vocabulary.tokens.length, { blockCount: 1, contextLength: 512 });
    const directory = path.join(scratch, "weights");
    mkdirSync(directory, { recursive: true });
    const { tensors, bin } = exportWeights(shape);
    writeFileSync(path.join(directory, "weights.json"), JSON.stringify({ config: shape, tensors }));
    writeFileSync(path.join(directory, "weights.bin"), bin);
    const file = path.join(scratch, "trained.gguf");
    await writeMicroModel({ out: file, vocabulary, weights: directory });
    const info = await readGgufFileInfo(file);
    // biome-ignore lint/suspicious/noExplicitAny: GGUF metadata is untyped here.
    assert.equal((info.metadata as any).hearth?.generated, undefined);
    const read = await readTensors(file, info, ["blk.0.ffn_up.weight", "blk.0.attn_norm.weight"]);
    // ffn_up: PyTorch shape [384, 128], value at [row, column] = (row * 128 + column) % 7 - 3 halves.
    const up = read.get("blk.0.ffn_up.weight") as number[];
    assert.equal(up.length, 384 * 128);
    for (const index of [0, 1, 129, 5000, 384 * 128 - 1])
      assert.equal(up[index], ((index % 7) - 3) / 2);
    assert.deepEqual(read.get("blk.0.attn_norm.weight")?.slice(0, 3), [0.25, 1.25, 2.25]);
    // llama.cpp loads it and evaluates a token through the given weights.
    const trained = await (await getHearthLlama()).loadModel({ modelPath: file });
    try {
      const context = await trained.createContext({ contextSize: 256 });
      const sequence = context.getSequence();
      const [token] = trained.tokenize("Hi");
      for await (const next of sequence.evaluate([token])) {
        assert.ok(Number.isInteger(next));
        break;
      }
      await context.dispose();
    } finally {
      await trained.dispose();
    }
  });

  it("names the tensor that does not fit the shape, and a vocabulary of another size", async () => {
    const shape = microShape(vocabulary.tokens.length, { blockCount: 1 });
    const directory = path.join(scratch, "bad-weights");
    mkdirSync(directory, { recursive: true });
    const { tensors, bin } = exportWeights(shape);
    const k = tensors.find((tensor) => tensor.name === "blk.0.attn_k.weight");
    if (k) k.shape = [64, 128];
    writeFileSync(path.join(directory, "weights.json"), JSON.stringify({ config: shape, tensors }));
    writeFileSync(path.join(directory, "weights.bin"), bin);
    const out = path.join(scratch, "bad.gguf");
    await assert.rejects(
      writeMicroModel({ out, vocabulary, weights: directory }),
      /blk\.0\.attn_k\.weight has GGUF dims \[128, 64\], expected \[128, 128\]/,
    );
    await assert.rejects(
      writeMicroModel({ out, vocabulary, shape: { ...shape, vocabularySize: 700 } }),
      /The vocabulary has \d+ tokens but shape "hearth-micro" has vocabularySize 700/,
    );
    const gate = tensors.find((tensor) => tensor.name === "blk.0.ffn_gate.weight");
    bin.writeFloatLE(1e6, (gate?.offset ?? 0) + 8);
    writeFileSync(path.join(directory, "weights.bin"), bin);
    if (k) k.shape = [128, 128];
    writeFileSync(path.join(directory, "weights.json"), JSON.stringify({ config: shape, tensors }));
    await assert.rejects(
      writeMicroModel({ out, vocabulary, weights: directory }),
      /blk\.0\.ffn_gate\.weight holds 1000000 at index 2, outside F16's range/,
    );
    const small = { ...vocabulary, tokens: vocabulary.tokens.slice(0, -1) };
    if (k) k.shape = [128, 128];
    writeFileSync(path.join(directory, "weights.json"), JSON.stringify({ config: shape, tensors }));
    await assert.rejects(
      writeMicroModel({ out, vocabulary: small, weights: directory }),
      /trained for \d+ tokens but the vocabulary has \d+/,
    );
  });

  it("saves and loads the vocabulary as JSON, and rejects a damaged one", async () => {
    const file = path.join(scratch, "micro", "vocabulary.json");
    await saveVocabulary(file, vocabulary);
    const loaded = await loadVocabulary(file);
    assert.deepEqual(loaded.tokens, vocabulary.tokens);
    assert.deepEqual(loaded.scores, vocabulary.scores);
    assert.deepEqual(loaded.types, vocabulary.types);
    assert.equal(loaded.eosId, vocabulary.eosId);
    writeFileSync(file, JSON.stringify({ format: "hearth-micro-vocabulary/1", tokens: ["a"] }));
    await assert.rejects(loadVocabulary(file), /not a valid vocabulary: scores must be/);
    await assert.rejects(loadVocabulary(path.join(scratch, "none.json")), /does not exist/);
  });

  it('"micro" names the shipped file; when it is missing the error names it and npm run train:micro', async () => {
    const chat = new ChatNodeLlamaCpp({ model: "micro" });
    assert.equal(chat.fields.modelPath, "micro");
    assert.throws(
      () => new ChatNodeLlamaCpp({ model: "micro", modelPath: "other.gguf" }),
      /one of `model` and `modelPath`/,
    );
    assert.deepEqual(parseBackendSpec("micro"), { kind: "gguf", spec: "micro", path: "micro" });
    if (existsSync(MICRO_MODEL_FILE)) {
      assert.equal((await resolveModelPath("micro")).path, MICRO_MODEL_FILE);
      return;
    }
    await assert.rejects(resolveModelPath("micro"), (error: Error) => {
      assert.ok(error.message.includes(MICRO_MODEL_FILE), error.message);
      assert.match(error.message, /npm run train:micro/);
      return true;
    });
  });
});

/** A trainer's export of known values: matrices cycle through -1.5..1.5, norms count up from 0.25. */
function exportWeights(shape: ModelShape) {
  const { embeddingLength: embd, feedForwardLength: ff, headDim, headCount, headCountKv } = shape;
  const entries: Array<[string, number[]]> = [["token_embd.weight", [shape.vocabularySize, embd]]];
  for (let block = 0; block < shape.blockCount; block++) {
    const p = `blk.${block}`;
    entries.push(
      [`${p}.attn_norm.weight`, [embd]],
      [`${p}.attn_q.weight`, [headCount * headDim, embd]],
      [`${p}.attn_k.weight`, [headCountKv * headDim, embd]],
      [`${p}.attn_v.weight`, [headCountKv * headDim, embd]],
      [`${p}.attn_output.weight`, [embd, headCount * headDim]],
      [`${p}.attn_q_norm.weight`, [headDim]],
      [`${p}.attn_k_norm.weight`, [headDim]],
      [`${p}.ffn_norm.weight`, [embd]],
      [`${p}.ffn_gate.weight`, [ff, embd]],
      [`${p}.ffn_down.weight`, [embd, ff]],
      [`${p}.ffn_up.weight`, [ff, embd]],
    );
  }
  entries.push(["output_norm.weight", [embd]]);
  const tensors: Array<{ name: string; shape: number[]; offset: number }> = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, shape] of entries) {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    for (let index = 0; index < count; index++)
      values[index] = shape.length === 1 ? index + 0.25 : ((index % 7) - 3) / 2;
    tensors.push({ name, shape, offset });
    chunks.push(Buffer.from(values.buffer));
    offset += count * 4;
  }
  return { tensors, bin: Buffer.concat(chunks) };
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

/** Tensor values read straight from the file at the offsets node-llama-cpp's GGUF reader reports. */
async function readTensors(file: string, info: GgufFileInfo, names: string[]) {
  const bytes = readFileSync(file);
  const result = new Map<string, number[]>();
  for (const tensor of info.tensorInfo ?? []) {
    if (!names.includes(tensor.name)) continue;
    const count = tensor.dimensions.reduce<number>((a, b) => a * Number(b), 1);
    const start = Number(tensor.fileOffset);
    const f16 = tensor.ggmlType === 1;
    result.set(
      tensor.name,
      Array.from({ length: count }, (_, index) =>
        f16
          ? halfToFloat(bytes.readUInt16LE(start + index * 2))
          : bytes.readFloatLE(start + index * 4),
      ),
    );
  }
  return result;
}
