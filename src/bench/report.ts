import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BenchReport, BenchRow, FigureValue } from "./types.js";

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits =
    Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

export function formatFigure(value: FigureValue): string {
  if (value === null) return "–";
  if (typeof value === "number") return formatNumber(value);
  return String(value);
}

export function formatRatio(ratio: number | null): string {
  return ratio === null ? "–" : ratio.toFixed(ratio >= 10 ? 1 : 2);
}

export function formatGoal(row: BenchRow): string {
  if (!row.goal) return "";
  const op = row.goal.op === "<=" ? "≤" : row.goal.op === ">=" ? "≥" : "=";
  return `${op} ${formatRatio(row.goal.value)}`;
}

export function formatMet(row: BenchRow): string {
  if (row.met === undefined) return "";
  if (row.met === null) return "?";
  return row.met ? "yes" : "no";
}

function figuresText(row: BenchRow): string {
  return Object.entries(row.figures)
    .map(([key, value]) => `${key} ${formatFigure(value)}`)
    .join(", ");
}

function headerLines(report: BenchReport): string[] {
  const { machine, model } = report;
  const bandwidth =
    machine.readBandwidthGBps === null
      ? "bandwidth not measured (P4 not run)"
      : `${machine.readBandwidthGBps.toFixed(1)} GB/s read bandwidth (measured)`;
  return [
    `Date: ${report.date}`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(0)} GiB, ${bandwidth}; ${machine.platform}, Node ${machine.node}, node-llama-cpp ${machine.nodeLlamaCpp}`,
    `Load average (1 min): ${machine.loadBefore.toFixed(2)} at the start, ${machine.loadAfter.toFixed(2)} at the end`,
    `Model: generated ${model.family} GGUF, ${model.shape} shape (${(model.parameters / 1e6).toFixed(0)}M parameters, vocabulary ${model.vocabularySize.toLocaleString("en-US")}), ${model.quant.toUpperCase()}, ${(model.fileBytes / 2 ** 20).toFixed(0)} MiB; ${model.threads} thread(s), context ${model.contextSize} tokens × ${model.sequences} sequences`,
    `Time: ${Object.entries(report.seconds)
      .map(([key, value]) => `${key} ${value.toFixed(0)} s`)
      .join(", ")}`,
  ];
}

const escapeCell = (text: string) => text.replaceAll("|", "\\|");

/** The README table: one row per ratio, raw figures beside it. */
export function renderMarkdown(report: BenchReport): string {
  const lines = [
    "# hearth bench",
    "",
    ...headerLines(report).map((line) => `- ${line}`),
    "",
    "| | Measure | Ratio | Goal | Met | Raw figures |",
    "|---|---|---:|---:|:-:|---|",
    ...report.rows.map(
      (row) =>
        `| ${row.id} | ${escapeCell(row.name.replace(/^P\d /, ""))}<br><sub>${escapeCell(row.ratioOf)}</sub> | ${formatRatio(row.ratio)} | ${formatGoal(row)} | ${formatMet(row)} | ${escapeCell(figuresText(row))} |`,
    ),
    "",
    "Notes:",
    "",
    // Rows of one measurement share some notes; each is printed once.
    ...new Set(report.rows.flatMap((row) => row.notes.map((note) => `- ${row.id}: ${note}`))),
    ...report.warnings.map((warning) => `- Warning: ${warning}`),
    "",
  ];
  return lines.join("\n");
}

export function renderTerminal(report: BenchReport): string {
  const lines = [...headerLines(report), ""];
  for (const row of report.rows) {
    const goal = row.goal ? `  goal ${formatGoal(row)}: ${formatMet(row)}` : "";
    lines.push(`${row.name}: ${formatRatio(row.ratio)}${goal}`);
    lines.push(`    ${row.ratioOf}`);
    lines.push(`    ${figuresText(row)}`);
    for (const note of row.notes) lines.push(`    · ${note}`);
  }
  for (const warning of report.warnings) lines.push(`Warning: ${warning}`);
  return lines.join("\n");
}

/** Writes bench.json and bench.md into `dir`; returns their paths. */
export async function writeBenchReport(report: BenchReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, "bench.json");
  const markdown = path.join(dir, "bench.md");
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  return [json, markdown];
}
