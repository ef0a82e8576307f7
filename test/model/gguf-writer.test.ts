import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { LlamaChatSession, readGgufFileInfo, resolveChatWrapper } from "node-llama-cpp";
import { getHearthLlama } from "../../src/models/runtime/index.js";
import {
  buildVocabulary,
  CHAT_FAMILIES,
  type ChatFamilyName,
  chatFamily,
  HEARTH_CHAT_WRAPPER_KEY,
  MODEL_SHAPES,
  writeTestModel,
} from "../../src/testing/gguf-writer/index.js";
import { testModelPath } from "../helpers/test-models.js";

const scratch = path.join(os.tmpdir(), `hearth-gguf-test-${process.pid}`);
after(() => rm(scratch, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: GGUF metadata is keyed by architecture at run time.
type AnyMetadata = Record<string, any>;

async function generateTwice(modelPath: string, prompt: string): Promise<[string, string]> {
  const llama = await getHearthLlama();
  const model = await llama.loadModel({ modelPath });
  try {
    const info = await readGgufFileInfo(modelPath);
    const wrapperType = (info.metadata as AnyMetadata).hearth.chat_wrapper;
    const outputs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const context = await model.createContext({ contextSize: 1024 });
      const session = new LlamaChatSession({
        contextSequence: context.getSequence(),
        chatWrapper: resolveChatWrapper({ type: wrapperType })!,
      });
      outputs.push(await session.prompt(prompt, { maxTokens: 24, temperature: 0.9, seed: 1234 }));
      await context.dispose();
    }
    return [outputs[0], outputs[1]];
  } finally {
    await model.dispose();
  }
}

describe("GGUF test-model writer", () => {
  it("writes metadata that node-llama-cpp reads back", async () => {
    const file = path.join(scratch, "meta.gguf");
    const written = await writeTestModel({
      family: "qwen",
      shape: "tiny",
      quant: "q4_0",
      out: file,
    });
    const info = await readGgufFileInfo(file);
    const metadata = info.metadata as AnyMetadata;
    const shape = MODEL_SHAPES.tiny;
    assert.equal(info.version, 3);
    assert.equal(metadata.general.architecture, "qwen3");
    assert.equal(metadata.general.file_type, 2); // MOSTLY_Q4_0
    assert.equal(metadata.general.alignment, 32);
    assert.equal(metadata[HEARTH_CHAT_WRAPPER_KEY.split(".")[0]].chat_wrapper, "qwen");
    const arch = metadata.qwen3;
    assert.equal(arch.context_length, shape.contextLength);
    assert.equal(arch.embedding_length, shape.embeddingLength);
    assert.equal(arch.block_count, shape.blockCount);
    assert.equal(arch.feed_forward_length, shape.feedForwardLength);
    assert.equal(arch.attention.head_count, shape.headCount);
    assert.equal(arch.attention.head_count_kv, shape.headCountKv);
    assert.equal(arch.rope.dimension_count, shape.headDim);
    assert.ok(Math.abs(arch.attention.layer_norm_rms_epsilon - shape.rmsEpsilon) < 1e-9);
    assert.equal(metadata.tokenizer.ggml.model, "llama");
    assert.equal(metadata.tokenizer.ggml.tokens.length, shape.vocabularySize);
    assert.equal(metadata.tokenizer.ggml.tokens[3], "<0x00>");
    assert.equal(metadata.tokenizer.ggml.tokens[258], "<0xFF>");
    assert.equal(metadata.tokenizer.chat_template, CHAT_FAMILIES.qwen.chatTemplate);
    assert.equal(info.tensorInfo?.length, 1 + shape.blockCount * 11 + 1);
    assert.ok(
      written.parameters > 100_000 && written.parameters < 500_000,
      `tiny has ${written.parameters} parameters`,
    );
  });

  for (const family of Object.keys(CHAT_FAMILIES) as ChatFamilyName[]) {
    it(`${family}: loads in llama.cpp and generates identically twice with a fixed seed`, async () => {
      const file = await testModelPath({ family, quant: "q8_0" });
      const [first, second] = await generateTwice(file, "What is the weather in Paris?");
      assert.ok(first.length > 0, "generated something");
      assert.equal(first, second);
    });
  }

  for (const quant of ["f16", "q4_0"] as const) {
    it(`${quant} files load and generate`, async () => {
      const [first, second] = await generateTwice(await testModelPath({ quant }), "Hi");
      assert.equal(first, second);
    });
  }

  it("the family's control tokens tokenize as single special tokens", async () => {
    const llama = await getHearthLlama();
    const model = await llama.loadModel({ modelPath: await testModelPath({ family: "qwen" }) });
    try {
      for (const token of ["<|im_start|>", "<|im_end|>", "<tool_call>"]) {
        assert.equal(model.tokenize(token, true).length, 1, token);
      }
    } finally {
      await model.dispose();
    }
  });

  it("a JSON-schema grammar forces valid JSON out of a random model", async () => {
    const llama = await getHearthLlama();
    const model = await llama.loadModel({ modelPath: await testModelPath({ family: "chatml" }) });
    try {
      const grammar = await llama.createGrammarForJsonSchema({
        type: "object",
        properties: {
          // Bounded: a random model rarely samples the closing quote on its own.
          city: { type: "string", maxLength: 24 },
          days: { type: "integer" },
          unit: { enum: ["celsius", "fahrenheit"] },
        },
      } as const);
      const context = await model.createContext({ contextSize: 1024 });
      const session = new LlamaChatSession({
        contextSequence: context.getSequence(),
        chatWrapper: resolveChatWrapper({ type: "chatML" })!,
      });
      for (const seed of [1, 2, 3]) {
        const text = await session.prompt("Weather?", {
          grammar,
          seed,
          temperature: 1,
          maxTokens: 200,
        });
        // JSON.parse, not grammar.parse: node-llama-cpp's integer rule admits exponents
        // ("5e-3"), which its own validator then rejects; Hearth's tool grammars patch that rule.
        const parsed = JSON.parse(text);
        assert.equal(typeof parsed.city, "string");
        assert.ok(parsed.city.length <= 24);
        assert.equal(typeof parsed.days, "number");
        assert.ok(["celsius", "fahrenheit"].includes(parsed.unit));
        session.resetChatHistory();
      }
      await context.dispose();
    } finally {
      await model.dispose();
    }
  });

  it("builds a 151,936-token vocabulary of distinct strings for the Qwen3 shape", () => {
    const vocabulary = buildVocabulary(
      chatFamily("qwen"),
      MODEL_SHAPES["qwen3-0.6b"].vocabularySize,
    );
    assert.equal(vocabulary.tokens.length, 151_936);
    assert.equal(new Set(vocabulary.tokens).size, 151_936);
    assert.equal(vocabulary.tokens[vocabulary.eosId], "<|im_end|>");
  });

  it("stands in for a real model's file: no wrapper key, its own template and tokens, no space after special tokens", async () => {
    const llama = await getHearthLlama();
    const template =
      "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";
    const pieces = async (addSpacePrefix: boolean | undefined) => {
      const file = path.join(scratch, `real-like-${String(addSpacePrefix)}.gguf`);
      await writeTestModel({
        family: "qwen",
        chat: {
          displayName: "Qwen3 0.6B",
          chatTemplate: template,
          userDefinedTokens: ["<tool_call>", "<think>"],
        },
        declareChatWrapper: false,
        addSpacePrefix,
        out: file,
      });
      const metadata = (await readGgufFileInfo(file)).metadata as AnyMetadata;
      assert.equal(metadata.hearth.chat_wrapper, undefined);
      assert.equal(metadata.hearth.generated, true);
      assert.equal(metadata.general.name, "Qwen3 0.6B");
      assert.equal(metadata.tokenizer.chat_template, template);
      const model = await llama.loadModel({ modelPath: file });
      try {
        const tokens = model.tokenize("<|im_start|>assistant\n<tool_call>\n{", true);
        return {
          pieces: [...tokens].map((token) => model.detokenize([token], true)),
          text: model.detokenize(tokens, true),
        };
      } finally {
        await model.dispose();
      }
    };
    const real = await pieces(false);
    assert.equal(real.text, "<|im_start|>assistant\n<tool_call>\n{");
    assert.equal(real.pieces[0], "<|im_start|>");
    assert.equal(real.pieces[real.pieces.indexOf("<tool_call>") + 1], "\n", JSON.stringify(real));
    // llama.cpp's SentencePiece default puts a space after every special token.
    const spaced = await pieces(undefined);
    assert.equal(spaced.text, "<|im_start|> assistant\n<tool_call> \n{");
  });

  it("rejects an unknown family, heads that do not divide, and a vocabulary below the byte tokens", async () => {
    const out = path.join(scratch, "bad.gguf");
    await assert.rejects(
      writeTestModel({ family: "gpt5", out }),
      /Unknown chat family "gpt5"\. Known families: chatml, qwen/,
    );
    await assert.rejects(
      writeTestModel({
        shape: { ...MODEL_SHAPES.tiny, name: "odd", headCount: 4, headCountKv: 3 },
        out,
      }),
      /headCount \(4\) must be a multiple of headCountKv \(3\)/,
    );
    await assert.rejects(
      writeTestModel({
        shape: { ...MODEL_SHAPES.tiny, name: "small-vocab", vocabularySize: 200 },
        out,
      }),
      /vocabularySize \(200\) is smaller than the 262 tokens/,
    );
    await assert.rejects(
      writeTestModel({ shape: { ...MODEL_SHAPES.tiny, name: "narrow", embeddingLength: 48 }, out }),
      /multiples of 32/,
    );
    await assert.rejects(writeTestModel({ quant: "q2_k", out }), /Unknown quantization "q2_k"/);
  });
});
