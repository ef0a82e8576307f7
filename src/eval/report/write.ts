import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EvalReport } from "../runner/types.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";

export interface WrittenReports {
  json: string;
  markdown: string;
  html: string;
}

/** Writes report.json, report.md and report.html into `dir` (created if needed). */
export async function writeReports(report: EvalReport, dir: string): Promise<WrittenReports> {
  await mkdir(dir, { recursive: true });
  const paths = {
    json: join(dir, "report.json"),
    markdown: join(dir, "report.md"),
    html: join(dir, "report.html"),
  };
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(paths.markdown, renderMarkdown(report));
  await writeFile(paths.html, renderHtml(report));
  return paths;
}
