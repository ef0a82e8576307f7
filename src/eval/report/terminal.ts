import type { EvalReport } from "../runner/types.js";
import { EVAL_CATEGORIES } from "../suite-format/types.js";
import { percent } from "./format.js";
import { summaryRows } from "./markdown.js";

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "))
    .join("\n");
}

/** The per-category table and key numbers printed when a run ends. */
export function renderTerminalTable(report: EvalReport): string {
  const rows = [["category", "cases", "passed", "accuracy"]];
  for (const category of EVAL_CATEGORIES) {
    const c = report.summary.byCategory[category];
    if (c) rows.push([category, String(c.n), String(c.passed), percent(c.accuracy)]);
  }
  rows.push([
    "overall",
    String(report.summary.cases),
    String(report.summary.passed),
    percent(report.summary.accuracy),
  ]);
  const lines = [
    pad(rows),
    "",
    ...summaryRows(report)
      .slice(2)
      .map(([k, v]) => `${k}: ${v}`),
  ];
  for (const note of report.notes) lines.push("", `Note: ${note}`);
  return lines.join("\n");
}
