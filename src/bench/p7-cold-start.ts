import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { kvBytesPerPosition } from "./bench-model.js";
import type { BenchContext } from "./context.js";
import { P8_PREFIX_TOKENS } from "./p8-prefix.js";
import { longSystemPrompt } from "./prefix-prompt.js";
import { ms } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

interface ChildTimes {
  /** Parent's spawn → the child's first token (epoch clocks of one machine). */
  spawnToFirstTokenMs: number;
  scriptStartMs: number;
  importedMs: number;
  loadedMs: number;
  firstTokenMs: number;
  contextSize?: number;
  sequences?: number;
  threads?: number;
}

const child = (name: string) => fileURLToPath(new URL(`./cold-start/${name}`, import.meta.url));

function spawnChild(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ChildTimes> {
  const spawnedAt = performance.timeOrigin + performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", script, ...args],
      { encoding: "utf8", maxBuffer: 1 << 20, timeout: 300_000, env },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${script} failed: ${error.message}\n${stderr}`));
          return;
        }
        const line = stdout.trim().split("\n").at(-1) ?? "";
        const parsed = JSON.parse(line) as Omit<ChildTimes, "spawnToFirstTokenMs"> & {
          firstTokenEpochMs: number;
        };
        resolve({ ...parsed, spawnToFirstTokenMs: parsed.firstTokenEpochMs - spawnedAt });
      },
    );
  });
}

const fastest = (runs: ChildTimes[]) =>
  runs.reduce((a, b) => (b.spawnToFirstTokenMs < a.spawnToFirstTokenMs ? b : a));

/**
 * P7: process start → first token through Hearth (ChatNodeLlamaCpp with its defaults) ÷ the
 * same with node-llama-cpp alone (same context size, sequences and threads), each a fresh
 * `node --import tsx` process, alternated, fastest of two after a warm-up. The model file is
 * in the page cache for both (the parent process has it loaded).
 */
export async function benchColdStart(context: BenchContext): Promise<BenchRow[]> {
  const modelPath = context.model.file;
  const hearthScript = child("hearth-child.ts");
  const bareScript = child("bare-child.ts");
  const warm = await spawnChild(hearthScript, [modelPath]);
  const bareArgs = [
    modelPath,
    String(warm.contextSize),
    String(warm.sequences),
    String(warm.threads),
  ];
  const hearth: ChildTimes[] = [];
  const bare: ChildTimes[] = [];
  for (let pair = 0; pair < (context.quick ? 1 : 2); pair++) {
    bare.push(await spawnChild(bareScript, bareArgs));
    hearth.push(await spawnChild(hearthScript, [modelPath]));
  }
  const h = fastest(hearth);
  const b = fastest(bare);
  const phases = (t: ChildTimes) => ({
    bootMs: ms(t.scriptStartMs),
    importsMs: ms(t.importedMs - t.scriptStartMs),
    loadMs: ms(t.loadedMs - t.importedMs),
    firstTokenMs: ms(t.firstTokenMs - t.loadedMs),
  });
  const prefix = (name: string, values: Record<string, number>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [`${name}.${key}`, value]));
  const plain = row({
    id: "P7",
    name: "P7 cold start",
    ratioOf: "process start → first token, Hearth ÷ node-llama-cpp alone",
    ratio: ratioOf(h.spawnToFirstTokenMs, b.spawnToFirstTokenMs),
    figures: {
      hearthMs: ms(h.spawnToFirstTokenMs),
      bareMs: ms(b.spawnToFirstTokenMs),
      ...prefix("hearth", phases(h)),
      ...prefix("bare", phases(b)),
      kvCacheMiB:
        warm.contextSize && warm.sequences
          ? Math.round(
              (warm.contextSize * warm.sequences * kvBytesPerPosition(context.runtime.model)) /
                2 ** 20,
            )
          : null,
      contextSize: warm.contextSize ?? null,
      sequences: warm.sequences ?? null,
      threads: warm.threads ?? null,
    },
    notes: [
      "both children run under tsx (Hearth ships TypeScript); boot = node + tsx before the script's first line",
      `Hearth defaults: context ${warm.contextSize} tokens × ${warm.sequences} sequences, ${warm.threads} thread(s); the bare child is given the same`,
    ],
  });
  return [plain, await coldStartWithSnapshot(context, hearthScript, bareScript, bareArgs)];
}

/**
 * P7 with a snapshot on disk: both children get the same long system prompt (P8's prefix);
 * Hearth's child finds the prefix's KV state in the snapshot folder (written by a warm-up run)
 * and restores it, node-llama-cpp's child evaluates it.
 */
async function coldStartWithSnapshot(
  context: BenchContext,
  hearthScript: string,
  bareScript: string,
  bareArgs: string[],
): Promise<BenchRow> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "hearth-bench-p7-"));
  try {
    const systemFile = path.join(dir, "system.txt");
    await writeFile(systemFile, longSystemPrompt(context.runtime, P8_PREFIX_TOKENS));
    const env = { ...process.env, HEARTH_SNAPSHOTS_DIR: path.join(dir, "snapshots") };
    const modelPath = context.model.file;
    const warm = await spawnChild(hearthScript, [modelPath, systemFile], env);
    const snapshotWritten = (await readdir(env.HEARTH_SNAPSHOTS_DIR).catch(() => [])).some((name) =>
      name.endsWith(".state"),
    );
    const hearth: ChildTimes[] = [];
    const bare: ChildTimes[] = [];
    for (let pair = 0; pair < (context.quick ? 1 : 2); pair++) {
      bare.push(await spawnChild(bareScript, [...bareArgs, systemFile], env));
      hearth.push(await spawnChild(hearthScript, [modelPath, systemFile], env));
    }
    const h = fastest(hearth);
    const b = fastest(bare);
    return row({
      id: "P7",
      name: "P7 cold start, snapshot on disk",
      ratioOf:
        "process start → first token with a long system prompt, Hearth restoring its prefix from disk ÷ node-llama-cpp evaluating it",
      ratio: ratioOf(h.spawnToFirstTokenMs, b.spawnToFirstTokenMs),
      goal: { op: "<=", value: 1.2 },
      figures: {
        hearthMs: ms(h.spawnToFirstTokenMs),
        bareMs: ms(b.spawnToFirstTokenMs),
        "hearth.firstTokenMs": ms(h.firstTokenMs - h.loadedMs),
        "bare.firstTokenMs": ms(b.firstTokenMs - b.loadedMs),
        warmUpMs: ms(warm.spawnToFirstTokenMs),
        snapshotWritten,
      },
      notes: [
        `system prompt of about ${P8_PREFIX_TOKENS} tokens in both children; a warm-up Hearth run wrote the snapshot`,
      ],
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
