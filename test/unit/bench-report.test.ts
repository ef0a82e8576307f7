import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type BenchReport,
  distinctPromptTokens,
  goalMet,
  parseBenchIds,
  ratioOf,
  renderMarkdown,
  runBench,
} from "../../src/bench/index.js";

// No timed assertions: speed lives in the numbers the bench prints. These tests check the
// arithmetic behind the ratios and the shape of the report.

describe("bench arithmetic", () => {
  it("counts distinct prompt tokens as the nodes of the prompts' trie", () => {
    assert.equal(distinctPromptTokens([]), 0);
    assert.equal(distinctPromptTokens([[1, 2, 3]]), 3);
    // Second prompt extends the first: only its 2 new tokens are distinct.
    assert.equal(
      distinctPromptTokens([
        [1, 2, 3],
        [1, 2, 3, 4, 5],
      ]),
      5,
    );
    // A branch after a shared prefix, and an exact repeat.
    assert.equal(
      distinctPromptTokens([
        [1, 2, 3],
        [1, 2, 9, 9],
        [1, 2, 3],
      ]),
      5,
    );
  });

  it("divides safely and judges goals in both directions", () => {
    assert.equal(ratioOf(3, 2), 1.5);
    assert.equal(ratioOf(1, 0), null);
    assert.equal(ratioOf(Number.NaN, 1), null);
    assert.equal(goalMet(1.02, { op: "<=", value: 1.03 }), true);
    assert.equal(goalMet(1.04, { op: "<=", value: 1.03 }), false);
    assert.equal(goalMet(0.9, { op: ">=", value: 0.9 }), true);
    assert.equal(goalMet(0.375, { op: "==", value: 6 / 16 }), true);
    assert.equal(goalMet(null, { op: ">=", value: 1 }), null);
    assert.equal(goalMet(2, undefined), undefined);
  });

  it("parses --only lists and rejects unknown ids", () => {
    assert.deepEqual(parseBenchIds("p1, P3"), ["P1", "P3"]);
    assert.deepEqual(parseBenchIds("p8,P9"), ["P8", "P9"]);
    assert.throws(() => parseBenchIds("P1,P10"), /Unknown measurement "P10"/);
  });
});

describe("hearth bench on the tiny model", () => {
  it("reports each ratio with the raw figures it is computed from", async () => {
    const report: BenchReport = await runBench({
      shape: "tiny",
      quant: "q8_0",
      only: ["P2", "P3", "P6"],
      bandwidthBytesPerWorker: 8 * 2 ** 20,
    });
    assert.equal(report.model.shape, "tiny");
    assert.equal(report.model.vocabularySize, 640);
    assert.ok(report.model.threads >= 1);
    assert.ok(report.machine.cores >= 1);
    assert.deepEqual([...new Set(report.rows.map((row) => row.id))], ["P2", "P3", "P6"]);

    for (const row of report.rows.filter((r) => r.id === "P2")) {
      const f = row.figures as Record<string, number>;
      assert.equal(row.ratio, f.evaluatedPromptTokens / f.distinctPromptTokens);
      assert.equal(f.naiveRatio, f.promptTokensSent / f.distinctPromptTokens);
      // Prompts repeat their prefix, so sending them whole costs more than the distinct tokens.
      assert.ok(f.promptTokensSent > f.distinctPromptTokens);
      assert.equal(row.met, (row.ratio ?? Number.POSITIVE_INFINITY) <= 1.05);
    }
    const toolRun = report.rows.find((r) => r.name.includes("3-round"));
    assert.match(toolRun?.notes.join(" ") ?? "", /route:tools, 3 tool rounds/);

    const [grammar, jump] = report.rows.filter((r) => r.id === "P3");
    const g = grammar.figures as Record<string, number>;
    assert.ok(grammar.ratio !== null && grammar.ratio > 0);
    assert.ok(
      Math.abs((grammar.ratio ?? 0) - g.grammarTokPerS / g.freeTokPerS) < 0.01,
      "the ratio divides the two rates it prints",
    );
    assert.equal(g.freeTokens, g.grammarTokens, "same number of tokens on both sides");
    const j = jump.figures as Record<string, number>;
    assert.equal(j.forcedTokens + j.sampledTokens > 0, true);

    const mixed = report.rows.find((r) => r.name.includes("mixed"));
    const m = mixed?.figures as Record<string, number>;
    assert.equal(m.hits, m.expectedHits, "repeats hit, unseeded sampled calls never do");
    assert.equal(mixed?.met, true);

    const markdown = renderMarkdown(report);
    assert.match(markdown, /\| P2 \| prompt reuse, 3-round tool run/);
    assert.match(markdown, /\| P6 \| cache, mixed run hit rate/);
    assert.match(markdown, /tiny shape/);
  });
});
