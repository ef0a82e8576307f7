import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { command as selectCommand } from "../../src/cli/commands/select.js";
import { EMBEDDING_CATALOG, embeddingCatalogEntry } from "../../src/models/catalog/index.js";
import { hardwareFromSpec } from "../../src/models/hardware/index.js";
import { budgetsFor, selectModel } from "../../src/models/select/index.js";

describe("embedding models in the catalog and the selector", () => {
  it("lists real embedding releases with their vector size, pooling and licence", () => {
    const qwen = embeddingCatalogEntry("Qwen3-Embedding-0.6B");
    assert.equal(qwen.dimensions, 1024);
    assert.equal(qwen.pooling, "last");
    assert.equal(embeddingCatalogEntry("bge-small-en-v1.5").license, "MIT");
    for (const entry of EMBEDDING_CATALOG) {
      assert.match(entry.file.uri, /^hf:[^/]+\/[^/]+\/.+\.gguf$/);
      // Sizes without a recorded byte count say so.
      if (entry.file.sizeAccuracy !== "exact") assert.match(entry.file.sizeSource, /8\.5 bits/);
    }
    assert.throws(() => embeddingCatalogEntry("text-embedding-3-small"), /Known: qwen3-embedding/);
  });

  it("takes the embedding model's memory out of the budget before choosing the chat model", () => {
    let pushedDown = 0;
    for (let vram = 3; vram <= 24; vram += 0.25) {
      const hardware = hardwareFromSpec({ gpu: "cuda", vramGiB: vram, ramGiB: 32, cores: 8 });
      const alone = selectModel(hardware);
      const both = selectModel(hardware, { embedding: "qwen3-embedding-0.6b" });
      const plan = both.embedding;
      assert.ok(plan);
      assert.equal(plan.contextSize, 2048);
      const gpuBudget = budgetsFor(hardware).gpuBytes;
      if (plan.placement === "gpu" && both.offload === "full") {
        assert.ok(
          both.estimate.totalBytes + plan.estimate.totalBytes <= gpuBudget,
          `${vram} GiB: both must fit the GPU budget together`,
        );
      }
      assert.ok(both.estimate.totalBytes <= alone.estimate.totalBytes || both.offload !== "full");
      if (alone.summary !== both.summary) pushedDown++;
      assert.ok(
        both.reasons.some((reason) => reason.startsWith("Embeddings: Qwen3-Embedding-0.6B")),
      );
    }
    assert.ok(pushedDown > 0, "on some machines the embedding model changes the chat choice");
  });

  it("plans the embedding model in RAM on a machine without a GPU", () => {
    const hardware = hardwareFromSpec({ gpu: "none", ramGiB: 16, cores: 4 });
    const both = selectModel(hardware, {
      embedding: "bge-small-en-v1.5",
      embeddingContextSize: 4096,
    });
    assert.equal(both.embedding?.placement, "cpu");
    assert.equal(both.embedding?.contextSize, 512, "never beyond the model's trained context");
    assert.throws(() => selectModel(hardware, { embedding: "nope" }), /Unknown embedding model/);
  });
});

describe("hearth select --embedding", () => {
  it("prints the embedding plan and chooses the chat model for what is left", async () => {
    const printed: string[] = [];
    const original = console.log;
    console.log = (text: string) => printed.push(text);
    const args = ["--gpu", "cuda", "--vram", "6", "--ram", "16", "--cores", "4"];
    try {
      assert.equal(await selectCommand.run([...args, "--json"]), 0);
      assert.equal(
        await selectCommand.run([...args, "--json", "--embedding", "qwen3-embedding-0.6b"]),
        0,
      );
      assert.equal(await selectCommand.run([...args, "--embedding", "bge-small-en-v1.5"]), 0);
      await assert.rejects(
        selectCommand.run([...args, "--embedding", "ada-002"]),
        /Unknown embedding model/,
      );
    } finally {
      console.log = original;
    }
    const [alone, both] = printed.slice(0, 2).map((text) => JSON.parse(text));
    assert.equal(alone.embedding, undefined);
    assert.equal(both.embedding.name, "Qwen3-Embedding-0.6B");
    assert.notEqual(
      both.model.name + both.model.quantization,
      alone.model.name + alone.model.quantization,
    );
    assert.match(printed[2], /Embed: {4}bge-small-en-v1\.5 \(384 dimensions\), 512 tokens/);
  });
});
