import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { ControlledEvaluateInputItem, Token } from "node-llama-cpp";
import { writeMicroModel } from "../../src/micro/model-file.js";
import { getHearthLlama } from "../../src/models/runtime/index.js";
import { buildVocabulary, chatFamily } from "../../src/testing/gguf-writer/index.js";
import { pythonWithTorch, runPython } from "../helpers/micro-python.js";

// The PyTorch trainer's model must compute what llama.cpp computes from the exported file,
// or a trained model would behave differently once shipped.
const scratch = await mkdtemp(path.join(os.tmpdir(), "hearth-micro-parity-"));
after(() => rm(scratch, { recursive: true, force: true }));

const skip = pythonWithTorch();

// Small but with every mechanism that can go wrong: grouped-query heads (4 over 2), a head
// width unlike the embedding's share, a non-default RoPE base, jittered norm scales.
const config = {
  vocabularySize: 300,
  embeddingLength: 64,
  blockCount: 2,
  feedForwardLength: 96,
  headCount: 4,
  headCountKv: 2,
  headDim: 24,
  contextLength: 256,
  ropeFreqBase: 50000,
  rmsEpsilon: 1e-6,
  tiedEmbeddings: true,
};

interface TopRow {
  position: number;
  top: Array<[number, number]>;
}

describe("micro model: PyTorch and llama.cpp agree", { skip }, () => {
  it("gives the same top-5 next tokens and probabilities at every position", async () => {
    const weightsDir = path.join(scratch, "weights");
    runPython("weights.py", [
      "--init",
      JSON.stringify(config),
      "--out",
      weightsDir,
      "--seed",
      "11",
      "--std",
      "0.3",
      "--norm-jitter",
      "0.3",
    ]);
    const vocabulary = buildVocabulary(chatFamily("qwen"), config.vocabularySize);
    const gguf = path.join(scratch, "parity.gguf");
    await writeMicroModel({ weights: weightsDir, vocabulary, out: gguf, quant: "f32" });

    // 48 tokens so later positions rotate far (RoPE) and attend over many keys.
    const tokens = Array.from({ length: 48 }, (_, index) => (index * 37 + 5) % 290);
    const reference = JSON.parse(
      runPython("reference.py", ["--weights", weightsDir, "--tokens", JSON.stringify(tokens)]),
    ) as TopRow[];

    const llama = await getHearthLlama();
    const model = await llama.loadModel({ modelPath: gguf });
    // F32 keys/values and no flash attention: the default F16 cache and the CPU flash-attention
    // path round keys, values and queries to F16 (measured: ~1e-3 differences in probability).
    const context = await model.createContext({
      contextSize: 256,
      flashAttention: false,
      experimentalKvCacheKeyType: "F32",
      experimentalKvCacheValueType: "F32",
    });
    try {
      const sequence = context.getSequence();
      const results = await sequence.controlledEvaluate(
        tokens.map(
          (token): ControlledEvaluateInputItem => [
            token as Token,
            { generateNext: { probabilities: true } },
          ],
        ),
      );
      let worst = 0;
      for (const [position, row] of reference.entries()) {
        const probabilities = results[position]?.next.probabilities;
        assert.ok(probabilities, `llama.cpp gave no probabilities at position ${position}`);
        const llamaTop = [...probabilities.entries()].slice(0, 5);
        for (const [rank, [token, probability]] of row.top.entries()) {
          const [llamaToken, llamaProbability] = llamaTop[rank];
          const mine = probabilities.get(token as Token) ?? 0;
          worst = Math.max(worst, Math.abs(mine - probability));
          assert.ok(
            Math.abs(mine - probability) < 1e-4,
            `position ${position}: token ${token} has p=${probability} in PyTorch, ${mine} in llama.cpp`,
          );
          // Ranks may swap only between near-equal probabilities.
          if (llamaToken !== token) {
            assert.ok(
              Math.abs(llamaProbability - probability) < 1e-4,
              `position ${position} rank ${rank}: PyTorch ${token} (${probability}), llama.cpp ${llamaToken} (${llamaProbability})`,
            );
          }
        }
      }
      // The weights are large enough that the model is far from uniform: agreement means something.
      const peak = Math.max(...reference.map((row) => row.top[0][1]));
      assert.ok(
        peak > 20 / config.vocabularySize,
        `the random model is near uniform (peak ${peak})`,
      );
      console.log(`micro parity: max |p_torch - p_llama| over top-5 at 48 positions = ${worst}`);
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });
});
