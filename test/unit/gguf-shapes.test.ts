import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shapeFigures } from "../../src/testing/gguf-writer/index.js";

// Published counts (Hugging Face model cards): Qwen3-0.6B 0.6B (0.44B non-embedding),
// Qwen3-8B 8.2B (6.95B non-embedding), Qwen3-14B 14.8B (13.2B non-embedding).
describe("GPU tier shapes: arithmetic only (no multi-GB file is written)", () => {
  it("counts the parameters the model cards publish", () => {
    const nonEmbedding = (shape: string, vocabulary: number, width: number, tied: boolean) =>
      shapeFigures(shape).parameters - vocabulary * width * (tied ? 1 : 2);
    assert.equal(shapeFigures("qwen3-0.6b").parameters, 596_049_920);
    assert.equal(Math.round(shapeFigures("qwen3-8b").parameters / 1e8) / 10, 8.2);
    assert.equal(Math.round(nonEmbedding("qwen3-8b", 151_936, 4096, false) / 1e7) / 100, 6.95);
    assert.equal(Math.round(shapeFigures("qwen3-14b").parameters / 1e8) / 10, 14.8);
    assert.equal(Math.round(nonEmbedding("qwen3-14b", 151_936, 5120, false) / 1e8) / 10, 13.2);
  });

  it("gives bytes per token for the physical decode bound and the KV cache", () => {
    const q8 = shapeFigures("qwen3-8b", "q8_0");
    const q4 = shapeFigures("qwen3-8b", "q4_0");
    // Q8_0 stores 34 bytes per 32 weights, Q4_0 18: the ratio of what a token reads.
    assert.ok(Math.abs(q4.bytesReadPerToken / q8.bytesReadPerToken - 18 / 34) < 0.01);
    // Untied: the input embedding is a row lookup, not read whole per token.
    assert.ok(q8.bytesReadPerToken < q8.weightBytes);
    const tied = shapeFigures("qwen3-0.6b", "q8_0");
    assert.equal(tied.bytesReadPerToken, tied.weightBytes);
    // 2 (K, V) × 36 layers × 8 KV heads × 128 × 2 bytes.
    assert.equal(q8.kvBytesPerToken, 147_456);
    assert.equal(shapeFigures("qwen3-14b").kvBytesPerToken, 163_840);
    assert.throws(() => shapeFigures("qwen3-8b", "q5_k"), /Unknown quantization "q5_k"/);
  });
});
