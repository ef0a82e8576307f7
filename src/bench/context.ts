import { HumanMessage } from "@langchain/core/messages";
import { createAgentGraph, type RunSummary, summarizeRun } from "../graph/index.js";
import type { ChatRuntime } from "../models/chat/runtime.js";
import type { PrefixSnapshots } from "../models/snapshots/index.js";
import { type ToolEagerChat, weatherTool } from "./fixtures.js";
import type { BenchModelInfo } from "./types.js";

/** What every measurement shares: one loaded model, one context, the graphs built on it. */
export interface BenchContext {
  chat: ToolEagerChat;
  runtime: ChatRuntime;
  model: BenchModelInfo;
  log: (line: string) => void;
  /** route → one forced tool round → answer (validation off): P1, P2's conversation, P5. */
  oneRoundGraph: ReturnType<typeof createAgentGraph>;
  /** The default graph (validation on) with up to 3 tool rounds: P2's tool run. */
  threeRoundGraph: ReturnType<typeof createAgentGraph>;
  bandwidthBytesPerWorker?: number;
  /** `--quick`: fewer repetitions, shorter runs. */
  quick: boolean;
  /**
   * The bench chat's prefix snapshots, kept aside: P1–P7 run with `runtime.prefixes` unset
   * (as measured before snapshots existed); the snapshot rows switch them on.
   */
  prefixes?: PrefixSnapshots;
  /** The bench's own snapshot folder (P8 empties it first). */
  snapshotsDir: string;
  /** Filled by P4 for the report's machine line. */
  bandwidthGBps?: number;
}

export const BENCH_CONTEXT_SIZE = 4096;
export const BENCH_SEQUENCES = 8;
/**
 * Room for a complete call to the bench tool with values still sampled (its shortest complete
 * form takes 40 tokens: at that budget every value would be fed, not decoded); also the length
 * of every free answer.
 */
export const BENCH_MAX_TOKENS = 56;

export function createBenchGraphs(chat: ToolEagerChat) {
  const common = { model: chat, tools: [weatherTool], contextSize: BENCH_CONTEXT_SIZE };
  return {
    oneRoundGraph: createAgentGraph({ ...common, maxToolRounds: 1, validate: false }),
    threeRoundGraph: createAgentGraph({ ...common, maxToolRounds: 3, validate: true }),
  };
}

let threadCounter = 0;

/** One graph turn on a new thread (or `thread`), with its summary and wall time. */
export async function runTurn(
  graph: ReturnType<typeof createAgentGraph>,
  question: string,
  thread?: string,
): Promise<{ ms: number; summary: RunSummary }> {
  const started = performance.now();
  const state = await graph.invoke(
    { messages: [new HumanMessage(question)] },
    { configurable: { thread_id: thread ?? `bench-${++threadCounter}` } },
  );
  return { ms: performance.now() - started, summary: summarizeRun(state) };
}

/** Forgets every sequence's KV cache, so the next measurement starts from an empty context. */
export async function clearSequences(runtime: ChatRuntime): Promise<void> {
  for (const sequence of runtime.pool.all) await sequence.clearHistory();
}

/** The path a run took, e.g. "route:tools → agent:first(1 call) → tools → agent:capped". */
export function pathOf(summary: RunSummary): string {
  const parts = [`route:${summary.route?.route ?? "none"}`];
  parts.push(`${summary.rounds} tool round${summary.rounds === 1 ? "" : "s"}`);
  parts.push(`${summary.modelCalls} model calls`);
  parts.push(`stop:${summary.stopReason}`);
  return parts.join(", ");
}
