import type { EvalCategory } from "../suite-format/types.js";

/**
 * Published BFCL scores (percent) for comparison. Source: the leaderboard data files on the
 * gh-pages branch of github.com/ShishirPatil/gorilla (data_overall.csv). Versions are re-scored differently and must not be
 * mixed: v3 and v4 rows are kept apart.
 */
export interface BfclRow {
  model: string;
  overall: number;
  simple: number;
  multiple: number;
  parallel: number;
  parallel_multiple: number;
  liveSimple: number;
  multi_turn: number;
  irrelevance: number;
}

export interface BfclSnapshot {
  version: string;
  /** gh-pages commit and date of the snapshot. */
  commit: string;
  date: string;
  rows: BfclRow[];
}

const row = (
  model: string,
  ...n: [number, number, number, number, number, number, number, number]
): BfclRow => ({
  model,
  overall: n[0],
  simple: n[1],
  multiple: n[2],
  parallel: n[3],
  parallel_multiple: n[4],
  liveSimple: n[5],
  multi_turn: n[6],
  irrelevance: n[7],
});

export const BFCL_V3: BfclSnapshot = {
  version: "BFCL v3",
  commit: "a53acce60a5e4064ef4b3ca5b1c30826fe719065",
  date: "2025-06-14",
  rows: [
    row("Qwen3-14B (FC)", 68.01, 76.17, 95.0, 92.5, 89.0, 86.05, 36.62, 81.01),
    row("Qwen3-8B (FC)", 66.34, 76.75, 95.5, 94.5, 88.5, 84.88, 33.0, 79.08),
    row("Qwen3-4B (FC)", 63.39, 75.33, 96.5, 92.0, 90.5, 87.6, 24.25, 78.19),
    row("Qwen3-1.7B (FC)", 54.7, 71.08, 93.0, 87.5, 81.5, 75.58, 8.62, 76.13),
    row("Qwen3-0.6B (FC)", 47.33, 62.25, 88.0, 69.0, 68.0, 65.89, 1.88, 82.41),
    row("Llama-3.1-8B-Instruct (Prompt)", 49.57, 72.83, 93.5, 87.0, 83.5, 74.03, 9.25, 48.82),
  ],
};

/** GPT-3.5 left the leaderboard after this v3 snapshot; same scoring as BFCL_V3. */
export const BFCL_V3_GPT35: BfclSnapshot = {
  version: "BFCL v3",
  commit: "b8faf75dbeabcdba33bf2ea15bb058686d35d3af",
  date: "2025-04-14",
  rows: [row("GPT-3.5-Turbo-0125 (FC)", 52.46, 74.25, 93.5, 89.0, 79.0, 81.4, 19.62, 36.53)],
};

export const BFCL_V4: BfclSnapshot = {
  version: "BFCL v4",
  commit: "ea03bc8dd716546f4d4c6dd462368a9ab18cc2e0",
  date: "2025-12-16",
  rows: [
    row("Qwen3-8B (FC)", 42.57, 72.83, 96.5, 92.0, 89.0, 84.5, 41.75, 79.07),
    row("Qwen3-14B (FC)", 41.03, 74.75, 93.0, 80.0, 92.0, 85.66, 34.75, 81.94),
    row("Qwen3-4B-Instruct-2507 (FC)", 35.68, 75.5, 93.5, 92.5, 90.0, 79.07, 22.12, 84.93),
    row("Qwen3-1.7B (FC)", 28.41, 70.67, 92.5, 88.5, 80.0, 76.74, 11.0, 76.54),
    row("Qwen3-0.6B (FC)", 23.93, 64.17, 86.0, 67.5, 69.5, 61.24, 3.62, 80.84),
  ],
};

/** Our categories that have a BFCL column of the same meaning (Non-Live AST, multi-turn, irrelevance). */
export const BFCL_COLUMNS: { key: keyof BfclRow & EvalCategory; label: string }[] = [
  { key: "simple", label: "Simple" },
  { key: "multiple", label: "Multiple" },
  { key: "parallel", label: "Parallel" },
  { key: "parallel_multiple", label: "Par-Mult" },
  { key: "multi_turn", label: "Multi-turn" },
  { key: "irrelevance", label: "Irrelevance" },
];
