import { type ChatHistoryItem, LlamaChat, type LlamaContextSequence } from "node-llama-cpp";
import { measureReadBandwidth } from "./bandwidth.js";
import { kvBytesPerPosition } from "./bench-model.js";
import type { BenchContext } from "./context.js";
import { median, round } from "./stats.js";
import { type BenchRow, ratioOf, row } from "./types.js";

const DECODE_TOKENS = 64;
const TRIALS = 3;

interface DecodeRun {
  /** From the median gap between tokens: the typical step, robust to stalls from other work. */
  medianTokPerS: number;
  /** (tokens − 1) ÷ first-to-last time: includes any stalls. */
  meanTokPerS: number;
  tokens: number;
  contextTokens: number;
}

async function decodeOnce(
  sequence: LlamaContextSequence,
  context: BenchContext,
): Promise<DecodeRun> {
  const history: ChatHistoryItem[] = [
    { type: "system", text: "You are a helpful assistant." },
    { type: "user", text: "Write a long story about a lighthouse keeper." },
  ];
  const chat = new LlamaChat({
    contextSequence: sequence,
    chatWrapper: context.runtime.chatWrapper,
  });
  const stamps: number[] = [];
  try {
    await chat.generateResponse(history, {
      maxTokens: DECODE_TOKENS,
      temperature: 0,
      budgets: { thoughtTokens: 0 },
      onToken(tokens) {
        const now = performance.now();
        for (let index = 0; index < tokens.length; index++) stamps.push(now);
      },
    });
  } finally {
    chat.dispose({ disposeSequence: false });
  }
  const gaps = stamps.slice(1).map((stamp, index) => stamp - stamps[index]);
  return {
    medianTokPerS: 1000 / median(gaps),
    meanTokPerS: ((stamps.length - 1) / (stamps.at(-1)! - stamps[0])) * 1000,
    tokens: stamps.length,
    contextTokens: sequence.nextTokenIndex,
  };
}

async function bestDecode(
  sequence: LlamaContextSequence,
  context: BenchContext,
): Promise<DecodeRun> {
  await decodeOnce(sequence, context); // warm: prompt cached
  const runs: DecodeRun[] = [];
  for (let trial = 0; trial < TRIALS; trial++) runs.push(await decodeOnce(sequence, context));
  return runs.reduce((a, b) => (b.medianTokPerS > a.medianTokPerS ? b : a));
}

/**
 * P4: decode tokens/s ÷ (memory read bandwidth ÷ bytes read per token). Every weight is read
 * once per decoded token (the tied embedding too, as the output projection), plus the KV cache
 * up to the current position. The bandwidth is measured just before and just after decoding;
 * the higher figure is the machine's limit. Also decodes with one thread when Hearth's rule
 * chose more, the evidence behind the thread rule.
 */
export async function benchDecode(context: BenchContext): Promise<BenchRow> {
  const { runtime } = context;
  const bytesPerWorker = context.bandwidthBytesPerWorker;
  const before = await measureReadBandwidth({ bytesPerWorker });
  const lease = await runtime.pool.acquire(["hearth-bench-decode"]);
  let chosen: DecodeRun;
  try {
    chosen = await bestDecode(lease.sequence, context);
  } finally {
    runtime.pool.release(lease, ["hearth-bench-decode"]);
  }
  const threads = runtime.context.currentThreads;
  let single: DecodeRun | undefined;
  if (threads !== 1) {
    const oneThread = await runtime.model.createContext({ contextSize: 1024, threads: 1 });
    try {
      single = await bestDecode(oneThread.getSequence(), context);
    } finally {
      await oneThread.dispose();
    }
  }
  const after = await measureReadBandwidth({ bytesPerWorker });
  const bandwidth = Math.max(before.gigabytesPerSecond, after.gigabytesPerSecond) * 1e9;
  context.bandwidthGBps = bandwidth / 1e9;
  const weights = runtime.model.size;
  const averagePosition = chosen.contextTokens - chosen.tokens / 2;
  const bytesPerToken = weights + kvBytesPerPosition(context.runtime.model) * averagePosition;
  const limit = bandwidth / bytesPerToken;
  const figures: Record<string, number | null> = {
    decodeTokPerS: round(chosen.medianTokPerS, 1),
    decodeTokPerSWithStalls: round(chosen.meanTokPerS, 1),
    threads,
    bandwidthGBps: round(bandwidth / 1e9, 1),
    bandwidthBeforeGBps: round(before.gigabytesPerSecond, 1),
    bandwidthAfterGBps: round(after.gigabytesPerSecond, 1),
    bandwidthWorkers: before.workers,
    weightBytes: weights,
    kvBytesPerPosition: kvBytesPerPosition(context.runtime.model),
    bytesPerToken: Math.round(bytesPerToken),
    limitTokPerS: round(limit, 1),
    /** What decoding actually read: tok/s × bytes per token. */
    effectiveGBps: round((chosen.medianTokPerS * bytesPerToken) / 1e9, 1),
  };
  if (single) {
    figures.oneThreadTokPerS = round(single.medianTokPerS, 1);
    figures.oneThreadRatio = ratioOf(single.medianTokPerS, limit);
  }
  return row({
    id: "P4",
    name: "P4 decode vs memory bandwidth",
    ratioOf: "decode tok/s ÷ (read bandwidth ÷ bytes read per token)",
    ratio: ratioOf(chosen.medianTokPerS, limit),
    goal: { op: ">=", value: 0.85 },
    figures,
    notes: [
      `${threads} thread${threads === 1 ? "" : "s"} (Hearth's rule); best of ${TRIALS} × ${DECODE_TOKENS} tokens, rate from the median gap between tokens`,
      `bandwidth: ${before.workers} WebAssembly SIMD workers × ${Math.round(before.bytesPerWorker / 2 ** 20)} MiB, best pass of ${before.passes}`,
      ...(single ? [`1 thread decodes at ${round(single.medianTokPerS, 1)} tok/s`] : []),
    ],
  });
}
