import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { DEFAULT_BENCH_CACHE, ensureBenchModel, parameterCount } from "./bench-model.js";
import {
  BENCH_CONTEXT_SIZE,
  BENCH_MAX_TOKENS,
  BENCH_SEQUENCES,
  type BenchContext,
  createBenchGraphs,
} from "./context.js";
import { ToolEagerChat } from "./fixtures.js";
import { benchOverhead } from "./p1-overhead.js";
import { benchPromptReuse } from "./p2-reuse.js";
import { benchGrammar } from "./p3-grammar.js";
import { benchDecode } from "./p4-decode.js";
import { benchConcurrency } from "./p5-concurrency.js";
import { benchCache } from "./p6-cache.js";
import { benchColdStart } from "./p7-cold-start.js";
import { benchPrefixSnapshots } from "./p8-prefix.js";
import { benchThreadsUnderLoad } from "./p9-threads-under-load.js";
import { round } from "./stats.js";
import {
  BENCH_IDS,
  type BenchId,
  type BenchOptions,
  type BenchReport,
  type BenchRow,
} from "./types.js";

// Decode and bandwidth first, while nothing of ours has warmed or fragmented anything; cold
// start last, when the model file is surely in the page cache.
const ORDER: BenchId[] = ["P4", "P3", "P1", "P2", "P5", "P6", "P8", "P9", "P7"];

const MEASURES: Record<BenchId, (context: BenchContext) => Promise<BenchRow | BenchRow[]>> = {
  P1: benchOverhead,
  P2: benchPromptReuse,
  P3: benchGrammar,
  P4: benchDecode,
  P5: benchConcurrency,
  P6: benchCache,
  P7: benchColdStart,
  P8: benchPrefixSnapshots,
  P9: benchThreadsUnderLoad,
};

function nodeLlamaCppVersion(): string {
  try {
    // The package's exports hide package.json: find it above the resolved entry point.
    let dir = path.dirname(createRequire(import.meta.url).resolve("node-llama-cpp"));
    while (!existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
    return (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string })
      .version;
  } catch {
    return "unknown";
  }
}

export function parseBenchIds(text: string): BenchId[] {
  const ids = text
    .split(",")
    .map((id) => id.trim().toUpperCase())
    .filter((id) => id.length > 0);
  for (const id of ids) {
    if (!BENCH_IDS.includes(id as BenchId)) {
      throw new Error(`Unknown measurement "${id}"; choose from ${BENCH_IDS.join(", ")}.`);
    }
  }
  return ids as BenchId[];
}

/**
 * Runs the benchmarks (all, or `only`) on one generated model of the given shape and returns
 * the report: each ratio measured side by side in this run, with its raw figures.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const only = new Set(options.only ?? BENCH_IDS);
  // --quick: a smaller shape by default (the ratios, not the shape, are what it checks).
  const shape = options.shape ?? (options.quick ? "small" : "qwen3-0.6b");
  const quant = options.quant ?? "q8_0";
  const loadBefore = os.loadavg()[0];
  const startedAll = performance.now();
  const seconds: Record<string, number> = {};

  let started = performance.now();
  const written = await ensureBenchModel({ shape, quant, cacheDir: options.cacheDir, log });
  const snapshotsDir = path.join(options.cacheDir ?? DEFAULT_BENCH_CACHE, "snapshots");
  const chat = new ToolEagerChat({
    modelPath: written.file,
    contextSize: BENCH_CONTEXT_SIZE,
    sequences: BENCH_SEQUENCES,
    maxTokens: BENCH_MAX_TOKENS,
    temperature: 0,
    // Every model call goes through LlamaChat, where the P1/P2 probe observes it; P3 measures
    // jump-forward decoding of forced calls against this whole-call grammar.
    jumpForward: false,
    prefixSnapshots: { dir: snapshotsDir },
  });
  const rows: BenchRow[] = [];
  try {
    const runtime = await chat.ensureLoaded();
    const prefixes = runtime.prefixes;
    runtime.prefixes = undefined;
    seconds.load = (performance.now() - started) / 1000;
    const context: BenchContext = {
      chat,
      runtime,
      log,
      ...createBenchGraphs(chat),
      bandwidthBytesPerWorker: options.bandwidthBytesPerWorker,
      quick: options.quick === true,
      prefixes,
      snapshotsDir,
      model: {
        file: written.file,
        family: "qwen",
        shape,
        quant,
        vocabularySize: written.vocabularySize,
        parameters: parameterCount(runtime.model),
        fileBytes: written.bytes,
        threads: runtime.context.currentThreads,
        contextSize: runtime.context.contextSize,
        sequences: runtime.context.totalSequences,
      },
    };
    for (const id of ORDER) {
      if (!only.has(id)) continue;
      log(`${id}…`);
      started = performance.now();
      const result = await MEASURES[id](context);
      seconds[id] = (performance.now() - started) / 1000;
      const load1m = round(os.loadavg()[0], 2);
      for (const measured of Array.isArray(result) ? result : [result]) {
        measured.figures.loadAverage1m = load1m;
        rows.push(measured);
      }
      log(`${id} done in ${seconds[id].toFixed(0)} s`);
    }
    rows.sort((a, b) => BENCH_IDS.indexOf(a.id) - BENCH_IDS.indexOf(b.id));
    seconds.total = (performance.now() - startedAll) / 1000;
    const loadAfter = os.loadavg()[0];
    const cores = os.availableParallelism();
    const warnings: string[] = [];
    if (Math.max(loadBefore, loadAfter) > cores * 0.5) {
      warnings.push(
        `other work was running (load average up to ${Math.max(loadBefore, loadAfter).toFixed(1)} on ${cores} cores): ratios are measured side by side, but absolute speeds are noisy`,
      );
    }
    return {
      date: new Date().toISOString(),
      machine: {
        cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
        cores,
        memoryGiB: os.totalmem() / 2 ** 30,
        readBandwidthGBps:
          context.bandwidthGBps === undefined ? null : round(context.bandwidthGBps, 1),
        platform: `${os.platform()} ${os.arch()}`,
        node: process.versions.node,
        nodeLlamaCpp: nodeLlamaCppVersion(),
        loadBefore,
        loadAfter,
      },
      model: context.model,
      rows,
      seconds: Object.fromEntries(
        Object.entries(seconds).map(([key, value]) => [key, round(value, 1)]),
      ),
      warnings,
    };
  } finally {
    await chat.dispose();
  }
}
