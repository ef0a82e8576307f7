import type { EvalReport } from "../runner/types.js";
import { EVAL_CATEGORIES } from "../suite-format/types.js";
import {
  BFCL_COLUMNS,
  BFCL_V3,
  BFCL_V3_GPT35,
  BFCL_V4,
  type BfclSnapshot,
} from "./bfcl-reference.js";
import { modelLabel, percent } from "./format.js";
import { summaryRows } from "./markdown.js";
import { modelFacts } from "./model-summary.js";
import { barChartSvg, escapeXml as esc, histogramSvg } from "./svg.js";

// Everything inline: the file must open from disk, offline, with no scripts or external assets.
export const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 980px; padding: 0 1rem; color: #1d2433; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d8dee9; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { border: 1px solid #d8dee9; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.mine td { font-weight: 600; background: #eef6ff; }
.note { background: #fff4e5; border-left: 4px solid #e69500; padding: .6rem .9rem; margin: .6rem 0; }
code { font: 13px ui-monospace, monospace; word-break: break-word; }
.chart { display: block; margin: 1rem 0; } .chart-title { font-weight: 600; font-size: 14px; }
.bar { fill: #3b82f6; } .bin { fill: #10b981; } .grid { stroke: #c0c8d4; stroke-width: 1; }
.marker { stroke: #dc2626; stroke-dasharray: 4 3; } .marker-label { fill: #dc2626; font-size: 12px; }
.label, .value, .axis { font-size: 12px; fill: #1d2433; }
.pass { color: #15803d; } .fail { color: #b91c1c; }
.series-0 { fill: #3b82f6; } .series-1 { fill: #f59e0b; } .series-2 { fill: #10b981; }
.series-3 { fill: #8b5cf6; } .series-4 { fill: #ef4444; } .series-5 { fill: #6b7280; }
`;

const row = (cells: string[], cls = "") =>
  `<tr${cls ? ` class="${cls}"` : ""}>${cells.join("")}</tr>`;
const td = (text: string, num = false) => `<td${num ? ' class="num"' : ""}>${esc(text)}</td>`;
const th = (text: string, num = false) => `<th${num ? ' class="num"' : ""}>${esc(text)}</th>`;

function bfclTable(report: EvalReport, snapshots: BfclSnapshot[]): string {
  const head = row([
    th("Model"),
    th("Overall", true),
    ...BFCL_COLUMNS.map((c) => th(c.label, true)),
  ]);
  const body = snapshots.flatMap((s) =>
    s.rows.map((r) =>
      row([
        td(r.model),
        td(r.overall.toFixed(2), true),
        ...BFCL_COLUMNS.map((c) => td(r[c.key].toFixed(2), true)),
      ]),
    ),
  );
  const mine = report.summary.byCategory;
  body.push(
    row(
      [
        td(
          `This run: ${modelLabel(report.model)}${report.model.randomWeights ? " (random weights: chance)" : ""}`,
        ),
        td((report.summary.accuracy * 100).toFixed(2), true),
        ...BFCL_COLUMNS.map((c) =>
          td(mine[c.key] ? (mine[c.key]!.accuracy * 100).toFixed(2) : "–", true),
        ),
      ],
      "mine",
    ),
  );
  return `<table>${head}${body.join("")}</table>`;
}

/** report.html: a self-contained page with an accuracy bar chart per category and a latency histogram. */
export function renderHtml(report: EvalReport): string {
  const { summary } = report;
  const categories = EVAL_CATEGORIES.filter((c) => summary.byCategory[c]);
  const bars = [
    {
      label: "overall",
      value: summary.accuracy,
      detail: `${percent(summary.accuracy)} of ${summary.cases}`,
    },
    ...categories.map((c) => {
      const s = summary.byCategory[c]!;
      return { label: c, value: s.accuracy, detail: `${percent(s.accuracy)} of ${s.n}` };
    }),
  ];
  const failed = report.results.filter((r) => !r.passed);
  const caseRow = (r: EvalReport["results"][number]) =>
    row([
      td(r.id),
      td(r.category),
      `<td class="${r.passed ? "pass" : "fail"}">${r.passed ? "pass" : "fail"}</td>`,
      td(r.reason ?? ""),
      `<td><code>${esc(r.expected)}</code></td>`,
      `<td><code>${esc(r.got)}</code></td>`,
      td(`${Math.round(r.latencyMs)} ms`, true),
    ]);
  const caseHead = row([
    th("Case"),
    th("Category"),
    th("Result"),
    th("Reason"),
    th("Expected"),
    th("Got"),
    th("Latency", true),
  ]);

  const html = [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Function-calling eval: ${esc(modelLabel(report.model))}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>Function-calling eval: ${esc(modelLabel(report.model))}</h1>`,
    ...report.notes.map((note) => `<p class="note">${esc(note)}</p>`),
    `<table>${modelFacts(report)
      .map(([k, v]) => row([th(k), td(v)]))
      .join("")}</table>`,
    "<h2>Summary</h2>",
    `<table>${summaryRows(report)
      .map(([k, v]) => row([th(k), td(v, true)]))
      .join("")}</table>`,
    barChartSvg(bars, "Accuracy by category"),
    histogramSvg(
      report.results.filter((r) => !r.error).map((r) => r.latencyMs),
      summary.latencyMs.p50,
      summary.latencyMs.p95,
      "Latency per case",
    ),
    "<h2>By category</h2>",
    `<table>${row([th("Category"), th("Cases", true), th("Passed", true), th("Accuracy", true)])}${categories
      .map((c) => {
        const s = summary.byCategory[c]!;
        return row([
          td(c),
          td(String(s.n), true),
          td(String(s.passed), true),
          td(percent(s.accuracy), true),
        ]);
      })
      .join("")}</table>`,
    "<h2>Compared with BFCL</h2>",
    "<p>Published Berkeley Function Calling Leaderboard scores (percent). They come from BFCL's own cases and weighting, so the row for this run is a rough comparison, not a leaderboard score.</p>",
    `<p>${esc(BFCL_V3.version)}, snapshot ${esc(BFCL_V3.date)} (GPT-3.5: ${esc(BFCL_V3_GPT35.date)}):</p>`,
    bfclTable(report, [BFCL_V3, BFCL_V3_GPT35]),
    `<p>${esc(BFCL_V4.version)}, snapshot ${esc(BFCL_V4.date)} (Overall re-weighted; not comparable with v3):</p>`,
    bfclTable(report, [BFCL_V4]),
    `<h2>Failed cases (${failed.length})</h2>`,
    failed.length === 0
      ? "<p>None.</p>"
      : `<table>${caseHead}${failed.map(caseRow).join("")}</table>`,
    `<details><summary>All ${report.results.length} cases</summary><table>${caseHead}${report.results.map(caseRow).join("")}</table></details>`,
    "</body></html>",
  ];
  return `${html.join("\n")}\n`;
}
