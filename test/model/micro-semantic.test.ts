import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type MicroScore, type MicroScores, scoreMicro } from "../../src/micro/semantic-eval.js";
import { MICRO_MODEL_FILE } from "../../src/models/load/micro-model.js";

const DOCS = fileURLToPath(new URL("../../examples/docs", import.meta.url));

/**
 * Hearth Micro, the shipped model, through the whole graph on held-out wordings (templates the
 * training never saw, numbers, places and clocks from a seed it never used). The thresholds are
 * the measured accuracies rounded down, so a regression in the prompt path, the decoding or the
 * model file shows here; the README's model card gives the measured figures.
 */
const THRESHOLDS: Record<keyof Omit<MicroScores, "misses">, number> = {
  route: 0.95,
  calculator: 0.9,
  search: 0.9,
  timezone: 0.9,
  answer: 0.9,
  verdict: 0.9,
};

function rate(score: MicroScore): number {
  return score.total === 0 ? 0 : score.right / score.total;
}

describe("Hearth Micro on held-out questions, through the real graph", () => {
  it("routes, calls the right tool with the right arguments, answers from the result and judges drafts", async () => {
    const scores = await scoreMicro({
      modelPath: MICRO_MODEL_FILE,
      docsFolder: DOCS,
      split: "heldout",
      seed: 7_777,
      episodes: 60,
      verdictEpisodes: 40,
    });
    const table = Object.entries(THRESHOLDS)
      .map(([name]) => {
        const score = scores[name as keyof typeof THRESHOLDS];
        return `${name} ${score.right}/${score.total}`;
      })
      .join(", ");
    for (const [name, threshold] of Object.entries(THRESHOLDS)) {
      const score = scores[name as keyof typeof THRESHOLDS];
      assert.ok(score.total >= 5, `${name}: only ${score.total} cases (${table})`);
      assert.ok(
        rate(score) >= threshold,
        `${name} ${score.right}/${score.total} is below ${threshold} (${table}); misses:\n${scores.misses.join("\n")}`,
      );
    }
    console.log(`Hearth Micro (${path.basename(MICRO_MODEL_FILE)}), held-out: ${table}`);
  });
});
