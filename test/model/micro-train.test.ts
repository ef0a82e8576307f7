import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { Token } from "node-llama-cpp";
import { writeMicroModel } from "../../src/micro/model-file.js";
import { getHearthLlama } from "../../src/models/runtime/index.js";
import { buildVocabulary, chatFamily } from "../../src/testing/gguf-writer/index.js";
import { pythonWithTorch, runPython } from "../helpers/micro-python.js";

// CI never retrains the micro model; these run the trainer for a few steps so it cannot rot.
const scratch = await mkdtemp(path.join(os.tmpdir(), "hearth-micro-train-"));
after(() => rm(scratch, { recursive: true, force: true }));

const skip = pythonWithTorch();
const VOCABULARY = 400;
const tinyModel = JSON.stringify({
  embeddingLength: 32,
  blockCount: 2,
  feedForwardLength: 64,
  headCount: 4,
  headCountKv: 2,
  headDim: 8,
});

describe("micro trainer", { skip }, () => {
  it("reuses a shared prefix's keys/values with the same losses as whole prompts", () => {
    const report = runPython("selfcheck.py", []);
    assert.match(report, /shared-prefix batch equals whole prompts/);
    assert.match(report, /each target token carries its own loss weight/);
  });

  it("trains a few steps, lowers the loss and writes weights llama.cpp loads", async () => {
    const data = path.join(scratch, "train.jsonl");
    const held = path.join(scratch, "eval.jsonl");
    const common = ["--prefixes", "2", "--prefix-length", "40", "--vocab-size", `${VOCABULARY}`];
    runPython("synthetic.py", ["--out", data, "--examples", "60", ...common]);
    runPython("synthetic.py", ["--out", held, "--examples", "8", "--seed", "9", ...common]);
    const out = path.join(scratch, "run");
    runPython("train.py", [
      ...["--data", data, "--eval", held, "--out", out, "--steps", "5", "--batch", "4"],
      ...["--vocab-size", `${VOCABULARY}`, "--config", tinyModel, "--warmup", "1"],
      ...[
        "--log-every",
        "1",
        "--eval-every",
        "5",
        "--short-fraction",
        "0.4",
        "--ramp-fraction",
        "0.15",
      ],
    ]);

    const rows = (await readFile(path.join(out, "curve.csv"), "utf8")).trim().split("\n");
    const header = rows[0].split(",");
    const column = (row: string, name: string) => row.split(",")[header.indexOf(name)];
    const steps = rows.slice(1).filter((row) => column(row, "phase") !== "final");
    assert.equal(steps.length, 5, rows.join("\n"));
    assert.deepEqual(
      steps.map((row) => column(row, "phase")),
      ["short", "short", "ramp", "whole", "whole"],
      "the curriculum starts on suffix + target only, then grows the prompt",
    );
    const losses = steps.map((row) => Number(column(row, "train_loss")));
    assert.ok(losses.every(Number.isFinite), `losses ${losses}`);
    assert.ok(
      losses[0] > 0.9 * Math.log(VOCABULARY),
      `a fresh model starts near chance: ${losses}`,
    );
    const final = rows.at(-1) ?? "";
    assert.equal(column(final, "phase"), "final");
    assert.ok(Number(column(final, "eval_loss")) < losses[0], `eval loss ${final} vs ${losses}`);

    const evaluations = (await readFile(path.join(out, "evaluations.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      evaluations.map((entry) => entry.step),
      [5, 5],
      "one evaluation at step 5, one at the end",
    );
    for (const share of Object.values(evaluations[1].exactByStep) as number[])
      assert.ok(share >= 0 && share <= 1);

    const exchange = JSON.parse(await readFile(path.join(out, "weights.json"), "utf8"));
    assert.equal(exchange.config.vocabularySize, VOCABULARY);
    assert.equal(exchange.config.blockCount, 2);
    assert.equal(exchange.tensors.length, 1 + 2 * 11 + 1);
    assert.deepEqual(exchange.tensors[0], {
      name: "token_embd.weight",
      shape: [400, 32],
      offset: 0,
    });
    const floats = exchange.tensors.reduce(
      (sum: number, tensor: { shape: number[] }) => sum + tensor.shape.reduce((a, b) => a * b, 1),
      0,
    );
    assert.equal((await stat(path.join(out, "weights.bin"))).size, floats * 4);

    const gguf = path.join(scratch, "trained.gguf");
    const vocabulary = buildVocabulary(chatFamily("qwen"), VOCABULARY);
    await writeMicroModel({ weights: out, vocabulary, out: gguf });
    const llama = await getHearthLlama();
    const model = await llama.loadModel({ modelPath: gguf });
    try {
      assert.equal(model.fileInsights.totalLayers, 3);
      const context = await model.createContext({ contextSize: 128 });
      const [result] = await context
        .getSequence()
        .controlledEvaluate([[7 as Token, { generateNext: { probabilities: true } }]]);
      const top = [...(result?.next.probabilities?.values() ?? [])][0];
      assert.ok(top !== undefined && top > 0 && top <= 1, `probability ${top}`);
      await context.dispose();
    } finally {
      await model.dispose();
    }

    // Training goes on from saved weights (--init-from): it starts where the first run ended,
    // not at chance, and keeps the saved shape.
    const resumed = path.join(scratch, "resumed");
    runPython("train.py", [
      ...["--data", data, "--out", resumed, "--steps", "2", "--batch", "4", "--init-from", out],
      ...["--vocab-size", `${VOCABULARY}`, "--log-every", "1", "--warmup", "1"],
      ...["--short-fraction", "0", "--ramp-fraction", "0"],
    ]);
    const resumedRows = (await readFile(path.join(resumed, "curve.csv"), "utf8"))
      .trim()
      .split("\n");
    const firstResumed = Number(column(resumedRows[1], "train_loss"));
    assert.ok(firstResumed < losses[0], `resumed at ${firstResumed}, fresh at ${losses[0]}`);
    const resumedExchange = JSON.parse(await readFile(path.join(resumed, "weights.json"), "utf8"));
    assert.equal(resumedExchange.config.blockCount, 2);
  });

  it("trains tied pieces as one row plus a shared mark: marked and plain twins differ by the same vector", async () => {
    const data = path.join(scratch, "tied-train.jsonl");
    const common = ["--prefixes", "2", "--prefix-length", "40", "--vocab-size", `${VOCABULARY}`];
    runPython("synthetic.py", ["--out", data, "--examples", "40", ...common]);
    const pairs: Array<[number, number]> = [
      [120, 20],
      [121, 21],
      [122, 22],
    ];
    const tiedFile = path.join(scratch, "tied-pieces.json");
    await writeFile(tiedFile, JSON.stringify(pairs));
    const out = path.join(scratch, "tied");
    runPython("train.py", [
      ...["--data", data, "--out", out, "--steps", "4", "--batch", "4", "--tied-pieces", tiedFile],
      ...["--vocab-size", `${VOCABULARY}`, "--config", tinyModel, "--warmup", "1"],
    ]);
    const exchange = JSON.parse(await readFile(path.join(out, "weights.json"), "utf8"));
    const d = exchange.tensors[0].shape[1] as number;
    const bytes = await readFile(path.join(out, "weights.bin"));
    const embedding = new Float32Array(bytes.buffer, bytes.byteOffset, VOCABULARY * d);
    const row = (id: number) => embedding.subarray(id * d, (id + 1) * d);
    const difference = (a: number, b: number) => row(a).map((value, i) => value - row(b)[i]);
    const mark = difference(120, 20);
    assert.ok(Math.max(...mark.map(Math.abs)) > 1e-3, "the mark is a real direction");
    for (const [marked, plain] of pairs.slice(1)) {
      const other = difference(marked, plain);
      assert.ok(
        other.every((value, i) => Math.abs(value - mark[i]) < 1e-5),
        `${marked}/${plain} differ by another vector`,
      );
    }
    // --number-weight reads the number pieces from the vocabulary, and says so when it is missing.
    assert.throws(
      () =>
        runPython("train.py", [
          ...["--data", data, "--out", path.join(scratch, "unweighted"), "--steps", "1"],
          ...["--number-weight", "4"],
        ]),
      /--number-weight needs --vocabulary/,
    );
    // --oversample draws a step type's examples N times as often; an unknown step is refused.
    const oversampled = runPython("train.py", [
      ...["--data", data, "--out", path.join(scratch, "oversampled"), "--steps", "1"],
      ...["--vocab-size", `${VOCABULARY}`, "--config", tinyModel, "--oversample", "call=3"],
    ]);
    const counted = (log: string) =>
      Number(/([\d,]+) training examples/.exec(log)?.[1].replace(",", ""));
    const lines = (await readFile(data, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const calls = lines.filter((line) => line.kind === "example" && line.step === "call").length;
    const all = lines.filter((line) => line.kind === "example").length;
    assert.ok(calls > 0 && calls < all);
    assert.equal(counted(oversampled), all + 2 * calls, oversampled);
    assert.throws(
      () =>
        runPython("train.py", [
          ...["--data", data, "--out", path.join(scratch, "oversampled"), "--steps", "1"],
          ...["--oversample", "sing=2"],
        ]),
      /--oversample: no sing examples/,
    );
    // Untied rows stay free: two plain pieces are not one row.
    assert.ok(difference(20, 21).some((value) => Math.abs(value) > 1e-3));
    // Training moved the shared rows (they are trained, not frozen at their start).
    const untrained = path.join(scratch, "tied-untrained");
    runPython("train.py", [
      ...["--data", data, "--out", untrained, "--steps", "1", "--batch", "4", "--lr", "0"],
      ...["--tied-pieces", tiedFile, "--vocab-size", `${VOCABULARY}`, "--config", tinyModel],
      ...["--warmup", "1"],
    ]);
    const start = await readFile(path.join(untrained, "weights.bin"));
    const startRow = new Float32Array(start.buffer, start.byteOffset, VOCABULARY * d).subarray(
      20 * d,
      21 * d,
    );
    assert.ok(row(20).some((value, i) => Math.abs(value - startRow[i]) > 1e-6));
  });

  it("composes number rows from digit and place rows, and resumes them exactly", async () => {
    const data = path.join(scratch, "numbers-train.jsonl");
    const common = ["--prefixes", "2", "--prefix-length", "40", "--vocab-size", `${VOCABULARY}`];
    runPython("synthetic.py", ["--out", data, "--examples", "40", ...common]);
    // Number pieces at ids 20.., their marked twins at 120.., one word pair that is no number.
    const plain = ["391", "91", "300", "00", "7", "07", "word"];
    const tokens = Array.from({ length: VOCABULARY }, (_, id) => `t${id}`);
    plain.forEach((text, i) => {
      tokens[20 + i] = text;
      tokens[120 + i] = `▁${text}`;
    });
    const vocabularyFile = path.join(scratch, "numbers-vocabulary.json");
    await writeFile(vocabularyFile, JSON.stringify({ tokens }));
    const tiedFile = path.join(scratch, "numbers-tied.json");
    await writeFile(tiedFile, JSON.stringify(plain.map((_, i) => [120 + i, 20 + i])));
    const composeArgs = [
      ...["--tied-pieces", tiedFile, "--vocabulary", vocabularyFile, "--compose-numbers"],
      ...["--vocab-size", `${VOCABULARY}`, "--config", tinyModel, "--warmup", "1", "--batch", "4"],
    ];
    const embedding = async (directory: string) => {
      const exchange = JSON.parse(await readFile(path.join(directory, "weights.json"), "utf8"));
      const d = exchange.tensors[0].shape[1] as number;
      const bytes = await readFile(path.join(directory, "weights.bin"));
      const all = new Float32Array(bytes.buffer, bytes.byteOffset, VOCABULARY * d);
      return (id: number) => Array.from(all.subarray(id * d, (id + 1) * d));
    };
    const id = (text: string) => 20 + plain.indexOf(text);
    const minus = (a: number[], b: number[]) => a.map((value, i) => value - b[i]);
    const largest = (values: number[]) => Math.max(...values.map(Math.abs));

    // Without a free part a number is its digits: 391 − 91 and 300 − 00 are both "a hundreds
    // digit 3, one place longer", and 7 − 07 is "one place shorter, no tens 0" both times.
    const digitsOnly = path.join(scratch, "numbers-digits");
    runPython("train.py", [
      ...["--data", data, "--out", digitsOnly, "--steps", "4", "--number-free-scale", "0"],
      ...composeArgs,
    ]);
    const row = await embedding(digitsOnly);
    const hundreds = minus(row(id("391")), row(id("91")));
    assert.ok(largest(hundreds) > 1e-3, "a real direction");
    assert.ok(largest(minus(hundreds, minus(row(id("300")), row(id("00"))))) < 1e-5);
    // The marked twin is still the plain row plus the one shared mark.
    const mark = minus(row(120 + plain.indexOf("391")), row(id("391")));
    assert.ok(
      largest(minus(mark, minus(row(120 + plain.indexOf("word")), row(id("word"))))) < 1e-5,
    );
    // A word pair is not composed: it keeps a row of its own.
    assert.ok(largest(minus(row(id("word")), row(id("7")))) > 1e-3);

    // With the free part (the default) each number also has a row of its own...
    const free = path.join(scratch, "numbers-free");
    runPython("train.py", [...["--data", data, "--out", free, "--steps", "4"], ...composeArgs]);
    const freeRow = await embedding(free);
    const freeHundreds = minus(freeRow(id("391")), freeRow(id("91")));
    assert.ok(
      largest(minus(freeHundreds, minus(freeRow(id("300")), freeRow(id("00"))))) > 1e-6,
      "the free parts moved",
    );
    // ...and a run resumed from the exported rows starts exactly where it stopped: a step at
    // learning rate 0 (so no weight decay either) writes back the same rows.
    const resumed = path.join(scratch, "numbers-resumed");
    runPython("train.py", [
      ...["--data", data, "--out", resumed, "--steps", "1", "--lr", "0", "--init-from", free],
      ...composeArgs,
    ]);
    const resumedRow = await embedding(resumed);
    for (const text of [...plain, "t5"]) {
      const at = text === "t5" ? 5 : id(text);
      assert.ok(largest(minus(resumedRow(at), freeRow(at))) < 1e-5, `${text} moved on resuming`);
    }
    // Marked rows resume as plain row + the mean mark, which for a tied model is its mark.
    assert.ok(largest(minus(resumedRow(120), freeRow(120))) < 1e-5);

    assert.throws(
      () =>
        runPython("train.py", [
          ...["--data", data, "--out", path.join(scratch, "numbers-bad"), "--steps", "1"],
          ...["--vocab-size", `${VOCABULARY}`, "--tied-pieces", tiedFile, "--compose-numbers"],
        ]),
      /--compose-numbers needs --vocabulary/,
    );
  });

  it("trains data-parallel: two processes, one curve and one model, and an error in them ends the run", async () => {
    const data = path.join(scratch, "parallel-train.jsonl");
    const common = ["--prefixes", "2", "--prefix-length", "40", "--vocab-size", `${VOCABULARY}`];
    runPython("synthetic.py", ["--out", data, "--examples", "60", ...common]);
    const out = path.join(scratch, "parallel");
    // The trainer itself checks, before saving, that both processes hold the same weights.
    const log = runPython("train.py", [
      ...["--data", data, "--out", out, "--steps", "6", "--batch", "4", "--processes", "2"],
      ...["--vocab-size", `${VOCABULARY}`, "--config", tinyModel, "--warmup", "1"],
      ...["--log-every", "1", "--short-fraction", "0", "--ramp-fraction", "0"],
    ]);
    assert.match(log, /2 processes of 4 examples a step/);
    assert.equal(log.match(/^step \d+ /gm)?.length, 6, "the first process alone logs");
    const rows = (await readFile(path.join(out, "curve.csv"), "utf8")).trim().split("\n");
    const losses = rows.slice(1).map((row) => Number(row.split(",")[5]));
    assert.equal(losses.length, 6, rows.join("\n"));
    assert.ok(losses.at(-1)! < losses[0], `losses ${losses}`);
    const exchange = JSON.parse(await readFile(path.join(out, "weights.json"), "utf8"));
    assert.equal(exchange.config.vocabularySize, VOCABULARY);

    const bad = path.join(scratch, "bad-pairs.json");
    await writeFile(bad, JSON.stringify([[VOCABULARY + 5, 1]]));
    const began = Date.now();
    assert.throws(
      () =>
        runPython("train.py", [
          ...["--data", data, "--out", path.join(scratch, "parallel-bad"), "--steps", "2"],
          ...["--processes", "2", "--tied-pieces", bad, "--vocab-size", `${VOCABULARY}`],
        ]),
      /are outside the vocabulary/,
    );
    assert.ok(Date.now() - began < 60_000, "a failed process does not leave the other waiting");
  });
});
