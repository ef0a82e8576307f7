import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { readGgufFileInfo } from "node-llama-cpp";
import { trainMicroModel } from "../../src/micro/pipeline.js";
import { loadVocabulary } from "../../src/micro/vocabulary/index.js";
import { pythonWithTorch } from "../helpers/micro-python.js";

// CI never retrains Hearth Micro: this runs `npm run train:micro`'s whole pipeline on a few
// episodes and steps, so no phase of it (data, vocabulary, trainer, export) can rot unseen.
const scratch = await mkdtemp(path.join(os.tmpdir(), "hearth-micro-pipeline-"));
after(() => rm(scratch, { recursive: true, force: true }));

describe("npm run train:micro, in miniature", { skip: pythonWithTorch() }, () => {
  it("renders the data through the chat path, learns the vocabulary, trains and exports a GGUF with that vocabulary", async () => {
    const out = path.join(scratch, "micro.gguf");
    const lines: string[] = [];
    const result = await trainMicroModel({
      workDir: path.join(scratch, "work"),
      out,
      trainEpisodes: 6,
      heldOutEpisodes: 2,
      pieces: 300,
      steps: 3,
      polish: { steps: 2 },
      threads: 1,
      seed: 3,
      trainerArgs: [
        "--config",
        JSON.stringify({
          embeddingLength: 32,
          blockCount: 1,
          feedForwardLength: 64,
          headCount: 2,
          headCountKv: 1,
          headDim: 16,
        }),
        "--batch",
        "4",
        "--log-every",
        "1",
      ],
      log: (line) => lines.push(line),
    });
    const vocabulary = await loadVocabulary(path.join(scratch, "work", "vocabulary.json"));
    assert.equal(result.vocabularySize, vocabulary.tokens.length);
    // Numbers are whole pieces, and the learned part came from the rendered prompts.
    assert.ok(vocabulary.tokens.includes("▁391"));
    assert.ok(vocabulary.tokens.includes("▁tool"), "learned from the prompts");
    const train = (await readFile(path.join(scratch, "work", "train.jsonl"), "utf8"))
      .trim()
      .split("\n");
    const steps = new Set(
      train
        .map((line) => JSON.parse(line))
        .filter((row) => row.kind === "example")
        .map((row) => row.step),
    );
    for (const step of ["route", "call", "answer", "verdict"])
      assert.ok(steps.has(step), `no ${step} example`);
    const info = await readGgufFileInfo(out);
    assert.equal(info.metadata.general.architecture, "qwen3");
    assert.equal(
      (info.metadata.tokenizer.ggml.tokens as string[]).length,
      vocabulary.tokens.length,
    );
    assert.ok(
      lines.some((line) => /^step 3\b/.test(line)),
      lines.join("\n"),
    );
    // The trainer tied each number to its marked twin.
    const tied = JSON.parse(
      await readFile(path.join(scratch, "work", "tied-pieces.json"), "utf8"),
    ) as Array<[number, number]>;
    assert.ok(
      tied.some(
        ([marked, plain]) =>
          vocabulary.tokens[marked] === "▁391" && vocabulary.tokens[plain] === "391",
      ),
    );
    // Two stages: the second starts from the first one's weights (kept beside it) and runs its
    // own budget, on whole prompts at its own rate.
    const stepsOf = async (curveFile: string) =>
      (await readFile(curveFile, "utf8"))
        .trim()
        .split("\n")
        .slice(1)
        .filter((row) => !row.includes(",final,"))
        .map((row) => row.split(","));
    const first = await stepsOf(path.join(scratch, "work", "weights-stage1", "curve.csv"));
    const second = await stepsOf(result.curve);
    assert.equal(first.length, 3);
    assert.equal(second.length, 2);
    assert.ok(
      second.every(([, , , phase]) => phase === "whole"),
      "the second stage trains on whole prompts",
    );
    assert.ok(result.seconds.polish > 0);
    await stat(path.join(scratch, "work", "weights-stage1", "weights.bin"));
  });
});
