import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { main } from "../../src/cli/main.js";
import type { EvalReport } from "../../src/eval/index.js";
import { testModelPath } from "../helpers/test-models.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);
const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describe("hearth eval on a generated GGUF", () => {
  it("runs 20 cases through node-llama-cpp and writes three reports with the same numbers", async () => {
    const modelPath = await testModelPath({ family: "qwen" });
    const out = await mkdtemp(join(tmpdir(), "hearth-eval-cli-"));
    temps.push(out);
    // A short token cap keeps random-weight rambling brief; the mechanics are the same.
    const { stdout, stderr } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
        "eval",
        "--model",
        modelPath,
        "--limit",
        "20",
        "--max-tokens",
        "48",
        "--out",
        out,
      ],
      { cwd: ROOT, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
    );
    assert.match(stderr, /random-weight model/);
    assert.match(stderr, /\] 20\/20 /);

    const report: EvalReport = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    const { summary } = report;
    assert.equal(summary.cases, 20);
    assert.equal(report.results.length, 20);
    assert.equal(summary.passed, report.results.filter((r) => r.passed).length);
    assert.equal(summary.accuracy, summary.passed / 20);
    assert.equal(
      Object.values(summary.byCategory).reduce((n, c) => n + c.n, 0),
      20,
    );
    assert.equal(Object.keys(summary.byCategory).length, 7);
    assert.equal(summary.errors, 0, report.results.find((r) => r.error)?.error);
    assert.equal(report.model.file, modelPath);
    assert.equal(report.model.randomWeights, true);
    assert.equal(report.model.metadata?.["general.architecture"], "qwen3");
    assert.match(report.notes[0], /RANDOM WEIGHTS/);
    assert.ok(summary.tokensPerSecond !== null && summary.tokensPerSecond > 0);
    assert.ok(summary.peakRssBytes > 0);

    const accuracy = `${(summary.accuracy * 100).toFixed(1)}% (${summary.passed}/20)`;
    assert.match(stdout, /^overall\s+20\s/m);
    const md = await readFile(join(out, "report.md"), "utf8");
    assert.ok(md.includes(`| Accuracy | ${accuracy} |`), "report.md shows the same accuracy");
    assert.match(md, /RANDOM WEIGHTS/);
    const html = await readFile(join(out, "report.html"), "utf8");
    assert.ok(
      html.includes(`${(summary.accuracy * 100).toFixed(1)}% of 20`),
      "report.html shows the same accuracy",
    );
    assert.match(html, /id="category-chart"/);
  });

  it("gets 100% schema-valid calls from a random model under the grammar (tool choice required)", async () => {
    const modelPath = await testModelPath({ family: "qwen" });
    const out = await mkdtemp(join(tmpdir(), "hearth-eval-cli-"));
    temps.push(out);
    await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
        "eval",
        "--model",
        modelPath,
        "--limit",
        "14",
        "--tool-choice",
        "required",
        "--out",
        out,
      ],
      { cwd: ROOT, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const report: EvalReport = JSON.parse(await readFile(join(out, "report.json"), "utf8"));
    const invalid = report.results.filter((r) => r.invalidCalls > 0 || r.schemaErrors);
    assert.deepEqual(
      invalid.map((r) => [r.id, r.schemaErrors]),
      [],
    );
    assert.ok(report.summary.emittedCalls >= 14, `only ${report.summary.emittedCalls} calls`);
    assert.equal(report.summary.schemaValidRate, 1);
  });

  it("explains bad options without loading anything", async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (message: string) => errors.push(message);
    try {
      assert.equal(await main(["eval", "--model", "x.gguf", "--mode", "fast"]), 2);
      assert.equal(await main(["eval", "--model", "x.gguf", "--limit", "0"]), 2);
      const saved = process.env.HEARTH_MODEL;
      delete process.env.HEARTH_MODEL;
      assert.equal(await main(["eval"]), 2);
      if (saved !== undefined) process.env.HEARTH_MODEL = saved;
      assert.equal(
        await main(["eval", "--model", "x.gguf", "--suite", "/nonexistent/suite.jsonl"]),
        1,
      );
    } finally {
      console.error = original;
    }
    assert.match(errors[0], /--mode must be "model" or "graph", got "fast"/);
    assert.match(errors[1], /--limit must be an integer ≥ 1 \(got 0\)/);
    assert.match(errors[2], /--model is required .*hf:Qwen\/Qwen3-8B-GGUF:Q4_K_M/);
    assert.match(errors[3], /suite\.jsonl: file not found/);
  });
});
