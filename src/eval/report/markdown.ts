import type { EvalReport } from "../runner/types.js";
import { EVAL_CATEGORIES } from "../suite-format/types.js";
import {
  BFCL_COLUMNS,
  BFCL_V3,
  BFCL_V3_GPT35,
  BFCL_V4,
  type BfclSnapshot,
} from "./bfcl-reference.js";
import { bytes, millis, modelLabel, percent, perSecond } from "./format.js";
import { modelFacts } from "./model-summary.js";

/** Inline code that survives backticks inside the text. */
const code = (text: string) => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const table = (header: string[], rows: string[][]) =>
  [
    `| ${header.map(cell).join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");

/** Rows of the key numbers, shared by every report format. */
export function summaryRows(report: EvalReport): [string, string][] {
  const s = report.summary;
  const rows: [string, string][] = [
    ["Cases", String(s.cases)],
    ["Accuracy", `${percent(s.accuracy)} (${s.passed}/${s.cases})`],
    [
      "Schema-valid calls",
      `${percent(s.schemaValidRate)} (${s.schemaValidCalls}/${s.emittedCalls})`,
    ],
  ];
  if (s.routeAccuracy !== null) rows.push(["Route accuracy", percent(s.routeAccuracy)]);
  rows.push(
    ["Rounds (mean / max)", `${s.rounds.mean.toFixed(2)} / ${s.rounds.max}`],
    ["Latency p50 / p95", `${millis(s.latencyMs.p50)} / ${millis(s.latencyMs.p95)}`],
    ["Output speed", perSecond(s.tokensPerSecond)],
    ["Peak RSS", bytes(s.peakRssBytes)],
  );
  if (s.errors > 0) {
    const bind = s.bindErrors > 0 ? ` (${s.bindErrors} while binding tools)` : "";
    rows.push(["Errors (not in latency)", `${s.errors}${bind}`]);
  }
  if (s.isolatedTools > 0) rows.push(["Tools left out at bind time", String(s.isolatedTools)]);
  return rows;
}

function bfclTable(report: EvalReport, snapshots: BfclSnapshot[]): string {
  const header = ["Model", "Overall", ...BFCL_COLUMNS.map((c) => c.label)];
  const rows = snapshots.flatMap((snapshot) =>
    snapshot.rows.map((r) => [
      r.model,
      r.overall.toFixed(2),
      ...BFCL_COLUMNS.map((c) => r[c.key].toFixed(2)),
    ]),
  );
  const mine = report.summary.byCategory;
  const label = `**This run**: ${modelLabel(report.model)}${report.model.randomWeights ? " (random weights: chance)" : ""}`;
  rows.push([
    label,
    (report.summary.accuracy * 100).toFixed(2),
    ...BFCL_COLUMNS.map((c) => (mine[c.key] ? (mine[c.key]!.accuracy * 100).toFixed(2) : "–")),
  ]);
  return table(header, rows);
}

/** report.md: summary, per-category table, BFCL comparison, and every failed case with expected vs got. */
export function renderMarkdown(report: EvalReport): string {
  const out: string[] = [`# Function-calling eval: ${modelLabel(report.model)}`, ""];
  for (const note of report.notes) out.push(`> **Note:** ${note}`, "");
  out.push(
    table(["", ""], modelFacts(report)),
    "",
    "## Summary",
    "",
    table(["Metric", "Value"], summaryRows(report)),
    "",
  );

  out.push("## By category", "");
  const categoryRows = EVAL_CATEGORIES.flatMap((category) => {
    const c = report.summary.byCategory[category];
    return c ? [[category, String(c.n), String(c.passed), percent(c.accuracy)]] : [];
  });
  out.push(table(["Category", "Cases", "Passed", "Accuracy"], categoryRows), "");

  out.push(
    "## Compared with BFCL",
    "",
    "Published Berkeley Function Calling Leaderboard scores (percent; Non-Live AST categories, multi-turn, irrelevance). " +
      "They were measured on BFCL's own cases with BFCL's weighting, so the row for this run is a rough comparison, not a leaderboard score; " +
      "run `hearth eval --suite <BFCL question file>` to score BFCL's own data.",
    "",
    `${BFCL_V3.version}, snapshot ${BFCL_V3.date} (gorilla gh-pages ${BFCL_V3.commit.slice(0, 7)}; GPT-3.5 from ${BFCL_V3_GPT35.date}, ${BFCL_V3_GPT35.commit.slice(0, 7)}):`,
    "",
    bfclTable(report, [BFCL_V3, BFCL_V3_GPT35]),
    "",
    `${BFCL_V4.version}, snapshot ${BFCL_V4.date} (${BFCL_V4.commit.slice(0, 7)}); v4 re-weights Overall toward agentic categories, so its Overall is not comparable with v3's:`,
    "",
    bfclTable(report, [BFCL_V4]),
    "",
  );

  const failed = report.results.filter((result) => !result.passed);
  out.push(`## Failed cases (${failed.length})`, "");
  if (failed.length === 0) out.push("None.", "");
  for (const result of failed) {
    out.push(
      `### ${result.id} (${result.category})`,
      "",
      `- **Reason:** ${result.reason ?? "unknown"}`,
      `- **Expected:** ${code(result.expected)}`,
      `- **Got:** ${code(result.got)}`,
    );
    if (result.route)
      out.push(`- **Route:** expected ${result.route.expected}, got ${result.route.got}`);
    if (result.answer) out.push(`- **Answer:** ${result.answer.replace(/\n/g, " ")}`);
    else if (result.text) out.push(`- **Text:** ${result.text.replace(/\n/g, " ")}`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
