export {
  type JumpForwardOptions,
  type JumpForwardResult,
  jumpForwardToolCall,
} from "../models/chat/jump-forward.js";
export { type BandwidthResult, measureReadBandwidth } from "./bandwidth.js";
export { DEFAULT_BENCH_CACHE, ensureBenchModel } from "./bench-model.js";
export { distinctPromptTokens, GenerateProbe, type GenerateRecord } from "./probe.js";
export { renderMarkdown, renderTerminal, writeBenchReport } from "./report.js";
export { parseBenchIds, runBench } from "./run-bench.js";
export {
  BENCH_IDS,
  type BenchGoal,
  type BenchId,
  type BenchMachine,
  type BenchModelInfo,
  type BenchOptions,
  type BenchReport,
  type BenchRow,
  type FigureValue,
  goalMet,
  ratioOf,
} from "./types.js";
