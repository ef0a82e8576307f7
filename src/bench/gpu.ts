import { execFileSync } from "node:child_process";
import { ChatNodeLlamaCpp } from "../models/chat/index.js";
import { shapeFigures } from "../testing/gguf-writer/index.js";
import { batchDecodeRate } from "./batch-rate.js";
import { ensureBenchModel } from "./bench-model.js";
import { formatRatio } from "./report.js";
import { ms, round } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

/**
 * Peak memory bandwidth (GB/s) of common NVIDIA cards, from NVIDIA's datasheets; matched on
 * `nvidia-smi`'s name. Any other card: pass `--bandwidth`.
 */
const CARD_BANDWIDTH_GBPS: Array<[RegExp, number]> = [
  [/H200/i, 4800],
  [/H100.*(SXM|HBM3)/i, 3350],
  [/H100/i, 2000],
  [/A100.*80/i, 2039],
  [/A100/i, 1555],
  [/L40S/i, 864],
  [/L4\b/i, 300],
  [/A10\b/i, 600],
  [/RTX 4090/i, 1008],
  [/RTX 3090/i, 936],
];

export function detectGpu(): { name: string; bandwidthGBps?: number } | undefined {
  try {
    const name = execFileSync("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"], {
      encoding: "utf8",
    })
      .split("\n")[0]
      .trim();
    if (!name) return undefined;
    return {
      name,
      bandwidthGBps: CARD_BANDWIDTH_GBPS.find(([pattern]) => pattern.test(name))?.[1],
    };
  } catch {
    return undefined;
  }
}

export interface GpuBenchOptions {
  /** The card's memory bandwidth, GB/s. */
  bandwidthGBps: number;
  shapes?: string[];
  quant?: string;
  cacheDir?: string;
  log?: (line: string) => void;
}

const RESPONSE_TOKENS = 512;
const GPU_CONTEXT = 2048;
const GPU_SEQUENCES = 16;

/**
 * The table on a GPU, per tier shape: decode tok/s against the card's bandwidth (decoding one
 * sequence reads every weight once per token, so bandwidth ÷ bytes per token is its ceiling),
 * batching 4 and 16 sequences against one, and a 512-token response's time beside its
 * physical bound (512 × bytes per token ÷ bandwidth).
 */
export async function runGpuBench(options: GpuBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? (() => {});
  const quant = options.quant ?? "q4_0";
  const rows: BenchRow[] = [];
  for (const shape of options.shapes ?? ["qwen3-0.6b", "qwen3-8b", "qwen3-14b"]) {
    const figures = shapeFigures(shape, quant);
    const written = await ensureBenchModel({ shape, quant, cacheDir: options.cacheDir, log });
    const chat = new ChatNodeLlamaCpp({
      modelPath: written.file,
      gpuLayers: "max",
      contextSize: GPU_CONTEXT,
      sequences: GPU_SEQUENCES,
      temperature: 0,
      prefixSnapshots: false,
    });
    try {
      log(`${shape} ${quant}: loading…`);
      await chat.ensureLoaded();
      const boundTokPerS = (options.bandwidthGBps * 1e9) / figures.bytesReadPerToken;
      const one = await batchDecodeRate(await chat.ensureLoaded(), 1, 128);
      rows.push(
        row({
          id: "P4",
          name: `P4 GPU decode ${shape} ${quant}`,
          ratioOf: "decode tok/s ÷ (card bandwidth ÷ bytes read per token)",
          ratio: ratioOf(one, boundTokPerS),
          goal: { op: ">=", value: 0.85 },
          figures: {
            decodeTokPerS: round(one, 1),
            boundTokPerS: round(boundTokPerS, 1),
            bytesPerTokenMB: round(figures.bytesReadPerToken / 1e6, 0),
            bandwidthGBps: options.bandwidthGBps,
          },
          notes: [],
        }),
      );
      for (const count of [4, 16]) {
        const rate = await batchDecodeRate(await chat.ensureLoaded(), count, 64);
        rows.push(
          row({
            id: "P5",
            name: `P5 GPU batching ×${count} ${shape} ${quant}`,
            ratioOf: `aggregate decode tok/s with ${count} sequences ÷ one sequence (node-llama-cpp)`,
            ratio: ratioOf(rate, one),
            goal: count === 4 ? { op: ">=", value: 2.5 } : undefined,
            figures: { aggregateTokPerS: round(rate, 1), oneSequenceTokPerS: round(one, 1) },
            notes: [],
          }),
        );
      }
      const started = performance.now();
      const reply = await chat.invoke("Write a long story about a lighthouse keeper.", {
        maxTokens: RESPONSE_TOKENS,
      });
      const responseMs = performance.now() - started;
      const outputTokens = (reply.response_metadata as { outputTokens: number }).outputTokens;
      const boundMs =
        ((outputTokens * figures.bytesReadPerToken) / (options.bandwidthGBps * 1e9)) * 1000;
      rows.push(
        row({
          id: "P4",
          name: `512-token response ${shape} ${quant}`,
          ratioOf: "physical bound (tokens × bytes per token ÷ bandwidth) ÷ measured response time",
          ratio: ratioOf(boundMs, responseMs),
          figures: { responseMs: ms(responseMs), boundMs: ms(boundMs), outputTokens },
          notes: [
            `asked for ${RESPONSE_TOKENS} tokens; bound ${formatRatio(boundMs / 1000)} s, measured ${formatRatio(responseMs / 1000)} s`,
          ],
        }),
      );
    } finally {
      await chat.dispose();
    }
  }
  return rows;
}
