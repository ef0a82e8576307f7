/** The speed measurements, P1–P9 (see the README's Benchmarks section). */
export type BenchId = "P1" | "P2" | "P3" | "P4" | "P5" | "P6" | "P7" | "P8" | "P9";
export const BENCH_IDS: readonly BenchId[] = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"];

export type FigureValue = number | string | boolean | null;

export interface BenchGoal {
  /** The ratio must be at most (`<=`), at least (`>=`) or exactly (`==`) `value`. */
  op: "<=" | ">=" | "==";
  value: number;
}

/** One row of the table: a ratio measured side by side in one run, and what it is made of. */
export interface BenchRow {
  id: BenchId;
  /** Short label, e.g. "P5 concurrency ×4". */
  name: string;
  /** What the ratio divides, in words. */
  ratioOf: string;
  ratio: number | null;
  goal?: BenchGoal;
  /** Undefined when the row has no goal; null when the ratio could not be measured. */
  met?: boolean | null;
  /** The raw figures behind the ratio (ms, tokens, bytes…), named with their unit. */
  figures: Record<string, FigureValue>;
  notes: string[];
}

export interface BenchMachine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  /** Measured in this run (P4); null when P4 was not run. */
  readBandwidthGBps: number | null;
  platform: string;
  node: string;
  nodeLlamaCpp: string;
  /** 1-minute load average at the start and the end of the run: other work on the machine. */
  loadBefore: number;
  loadAfter: number;
}

export interface BenchModelInfo {
  file: string;
  family: string;
  shape: string;
  quant: string;
  vocabularySize: number;
  parameters: number;
  fileBytes: number;
  /** Threads the context decodes with (Hearth's rule, or HEARTH_THREADS). */
  threads: number;
  contextSize: number;
  sequences: number;
}

export interface BenchReport {
  date: string;
  machine: BenchMachine;
  model: BenchModelInfo;
  rows: BenchRow[];
  /** Seconds per measurement and in total. */
  seconds: Record<string, number>;
  warnings: string[];
}

export interface BenchOptions {
  shape?: "tiny" | "small" | "qwen3-0.6b" | string;
  quant?: "q8_0" | "q4_0" | "f16" | string;
  /** Measurements to run; all by default. */
  only?: readonly BenchId[];
  /** Where generated bench models are cached. Default `.cache/bench` in the repository. */
  cacheDir?: string;
  /** Bytes each bandwidth worker reads per pass. Default 256 MiB. */
  bandwidthBytesPerWorker?: number;
  /**
   * Fewer repetitions, the small shape unless `shape` is given, same ratios: a few minutes on
   * a busy 2-core machine.
   */
  quick?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export function goalMet(
  ratio: number | null,
  goal: BenchGoal | undefined,
): boolean | null | undefined {
  if (!goal) return undefined;
  if (ratio === null || !Number.isFinite(ratio)) return null;
  if (goal.op === "==") return Math.abs(ratio - goal.value) < 1e-9;
  return goal.op === "<=" ? ratio <= goal.value : ratio >= goal.value;
}

/** a ÷ b, or null when b is zero or either is not a finite number. */
export function ratioOf(a: number, b: number): number | null {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return a / b;
}

export function row(fields: Omit<BenchRow, "met">): BenchRow {
  return { ...fields, met: goalMet(fields.ratio, fields.goal) };
}
