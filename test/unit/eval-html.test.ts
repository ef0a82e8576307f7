import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { builtinSuite, type EvalReport, runEval, writeReports } from "../../src/eval/index.js";
import { ScriptedChatModel } from "../../src/testing/index.js";
import { oracle, reply } from "../helpers/eval-oracle.js";
import { countColor, decodePng } from "../helpers/png.js";

const CHROMIUM = "/usr/bin/chromium";
const run = promisify(execFile);
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing (Debian: apt-get install chromium); the HTML report is not rendered`;

/** Headless Chromium with nothing that reaches out: no network services, no sync, a throwaway profile. */
async function chromium(profile: string, ...args: string[]) {
  return run(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--hide-scrollbars",
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
  );
}

describe("report.html in headless Chromium", { skip }, () => {
  let dir: string;
  let report: EvalReport;
  let url: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "hearth-html-"));
    const suite = builtinSuite();
    // Half right: parallel and multi-turn cases get no call, so the bars differ.
    const model = new ScriptedChatModel(
      oracle(suite, (c) =>
        c.category === "parallel" || c.category === "multi_turn" ? reply([]) : undefined,
      ),
      { usage: { input: 1, output: 10 } },
    );
    report = await runEval({
      model,
      suite,
      limit: 28,
      modelInfo: { file: "fake.gguf", name: "Fake model" },
    });
    url = pathToFileURL((await writeReports(report, dir)).html).href;
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loads and keeps the chart and the histogram in its DOM", async () => {
    const { stdout } = await chromium(join(dir, "profile-dom"), "--dump-dom", url);
    assert.match(stdout, /<h1>Function-calling eval: Fake model<\/h1>/);
    assert.match(stdout, /<svg[^>]*id="category-chart"/);
    assert.match(stdout, /<svg[^>]*id="latency-histogram"/);
    const bars = [...stdout.matchAll(/<rect [^>]*class="bar" data-category="([a-z_]+)"/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(bars, ["overall", ...Object.keys(report.summary.byCategory)]);
  });

  it("draws the bars: a screenshot holds the bar colour, in proportion to the accuracy", async () => {
    const shot = join(dir, "shot.png");
    await chromium(
      join(dir, "profile-shot"),
      `--screenshot=${shot}`,
      "--window-size=1000,1500",
      url,
    );
    const png = decodePng(await readFile(shot));
    assert.equal(png.width, 1000);
    const barBlue = countColor(png, [0x3b, 0x82, 0xf6]);
    const histogramGreen = countColor(png, [0x10, 0xb9, 0x81]);
    // Bars are 18 px tall and up to 380 px long; here five categories are at 100%, two at 0%, overall at 71%.
    assert.ok(barBlue > 18 * 380 * 5, `only ${barBlue} bar-coloured pixels`);
    assert.ok(histogramGreen > 1000, `only ${histogramGreen} histogram pixels`);
  });
});
