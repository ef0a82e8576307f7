import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BackendFigures, ComparisonReport } from "../runner/compare.js";
import { EVAL_CATEGORIES, type EvalCategory } from "../suite-format/types.js";
import { millis, percent, perSecond } from "./format.js";
import { STYLE } from "./html.js";
import { escapeXml as esc, groupedBarChartSvg } from "./svg.js";

const categoriesOf = (report: ComparisonReport): EvalCategory[] =>
  EVAL_CATEGORIES.filter((c) => report.backends.some((b) => b.byCategory[c]));

const maybeMillis = (value: number | null) => (value === null ? "n/a" : millis(value));

/** Overall figures, one row per backend: [header, ...rows]. */
function overallRows(report: ComparisonReport): string[][] {
  return [
    [
      "Backend",
      "Accuracy",
      "Schema-valid",
      "Latency p50 / p95",
      "Output tokens",
      "Speed",
      "Errors",
    ],
    ...report.backends.map((b) => {
      const s = b.summary;
      return [
        b.label,
        `${percent(s.accuracy)} (${s.passed}/${s.cases})`,
        `${percent(s.schemaValidRate)} (${s.schemaValidCalls}/${s.emittedCalls})`,
        `${millis(s.latencyMs.p50)} / ${millis(s.latencyMs.p95)}`,
        String(s.outputTokens),
        perSecond(s.tokensPerSecond),
        String(s.errors),
      ];
    }),
  ];
}

/** Per category and backend: accuracy, schema-valid rate, median latency, output tokens. */
function categoryRows(report: ComparisonReport): string[][] {
  const rows = [
    ["Category", "Backend", "Cases", "Accuracy", "Schema-valid", "Latency p50", "Output tokens"],
  ];
  for (const category of categoriesOf(report)) {
    for (const backend of report.backends) {
      const c = backend.byCategory[category];
      if (!c) continue;
      rows.push([
        category,
        backend.label,
        String(c.n),
        `${percent(c.accuracy)} (${c.passed}/${c.n})`,
        percent(c.schemaValidRate),
        maybeMillis(c.latencyP50Ms),
        String(c.outputTokens),
      ]);
    }
  }
  return rows;
}

const mdTable = (rows: string[][]) =>
  [
    `| ${rows[0].join(" | ")} |`,
    `| ${rows[0].map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.slice(1).map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

function notesOf(report: ComparisonReport): string[] {
  return report.backends.flatMap((b: BackendFigures) =>
    b.notes.map((note) => `${b.label}: ${note}`),
  );
}

/** compare.md */
export function renderComparisonMarkdown(report: ComparisonReport): string {
  const lines = [
    `# Function-calling comparison: ${report.backends.map((b) => b.label).join(" vs ")}`,
    "",
    `Suite ${report.suite.name} (${report.suite.selectedCases} of ${report.suite.totalCases} cases, the same on every backend), mode ${report.options.mode}, tool choice ${report.options.toolChoice}, parallel tool calls ${report.options.parallelToolCalls ? "on" : "off"}; ${report.createdAt}.`,
    "",
    ...notesOf(report).map((note) => `> ${note}\n`),
    "## Overall",
    "",
    mdTable(overallRows(report)),
    "",
    "## By category",
    "",
    mdTable(categoryRows(report)),
    "",
  ];
  return lines.join("\n");
}

/** compare.html: self-contained, with one grouped chart of accuracy by category and backend. */
export function renderComparisonHtml(report: ComparisonReport): string {
  const table = (rows: string[][]) =>
    `<table><tr>${rows[0].map((h) => `<th>${esc(h)}</th>`).join("")}</tr>${rows
      .slice(1)
      .map(
        (r) =>
          `<tr>${r.map((c, i) => `<td${i > 1 ? ' class="num"' : ""}>${esc(c)}</td>`).join("")}</tr>`,
      )
      .join("")}</table>`;
  const groups = categoriesOf(report).map((category) => ({
    label: category,
    bars: report.backends.map((b) => {
      const c = b.byCategory[category];
      return {
        label: b.label,
        value: c?.accuracy ?? 0,
        detail: c ? `${percent(c.accuracy)} of ${c.n}` : "–",
      };
    }),
  }));
  const title = `Comparison: ${report.backends.map((b) => b.label).join(" vs ")}`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(title)}</h1>`,
    `<p>Suite <code>${esc(report.suite.name)}</code>: ${report.suite.selectedCases} cases on every backend, mode ${esc(report.options.mode)}, tool choice ${esc(report.options.toolChoice)}.</p>`,
    ...notesOf(report).map((note) => `<div class="note">${esc(note)}</div>`),
    groupedBarChartSvg(
      groups,
      report.backends.map((b) => b.label),
      "Accuracy by category",
    ),
    "<h2>Overall</h2>",
    table(overallRows(report)),
    "<h2>By category</h2>",
    table(categoryRows(report)),
    "</body></html>",
    "",
  ].join("\n");
}

export interface WrittenComparison {
  json: string;
  markdown: string;
  html: string;
}

/** Writes compare.json, compare.md and compare.html into `dir`. */
export async function writeComparison(
  report: ComparisonReport,
  dir: string,
): Promise<WrittenComparison> {
  await mkdir(dir, { recursive: true });
  const paths = {
    json: join(dir, "compare.json"),
    markdown: join(dir, "compare.md"),
    html: join(dir, "compare.html"),
  };
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(paths.markdown, renderComparisonMarkdown(report));
  await writeFile(paths.html, renderComparisonHtml(report));
  return paths;
}

/** The comparison as printed at the end of a run. */
export function renderComparisonTerminal(report: ComparisonReport): string {
  const rows = overallRows(report);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "))
    .join("\n");
}
