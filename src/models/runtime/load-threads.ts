import os from "node:os";
import type { Llama } from "node-llama-cpp";

/** CPU time of the whole machine and of this process, for one sample. */
interface CpuSample {
  machineBusyMs: number;
  machineTotalMs: number;
  ownMs: number;
}

function sample(): CpuSample {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + idle + irq;
  }
  const own = process.cpuUsage();
  return { machineBusyMs: busy, machineTotalMs: total, ownMs: (own.user + own.system) / 1000 };
}

/**
 * Cores the rest of the machine kept busy between two samples: machine CPU time minus this
 * process's, over the wall time elapsed. Both come from the kernel's counters
 * (/proc/stat and getrusage on Linux), so this is a measurement of what other processes used,
 * not a guess from the load average (which counts waiting tasks and our own threads).
 */
export function othersBusyCores(before: CpuSample, after: CpuSample, cores: number): number {
  const total = after.machineTotalMs - before.machineTotalMs;
  if (total <= 0) return 0;
  const wallMs = total / cores;
  const othersMs = after.machineBusyMs - before.machineBusyMs - (after.ownMs - before.ownMs);
  return Math.max(0, Math.min(cores, othersMs / wallMs));
}

/** Threads that leave room for what others use: the cores they leave free, at least one. */
export function threadsForLoad(cores: number, othersBusy: number): number {
  // Rounded down: ggml's threads wait for each other at every op, so one thread that shares
  // a core with another process stalls the whole step (the cost the README's thread table shows).
  return Math.max(1, Math.min(cores, Math.floor(cores - othersBusy + 0.25)));
}

/**
 * Re-chooses llama.cpp's thread count from the load measured since the last check. It sets
 * node-llama-cpp's `llama.maxThreads` (its public cap, which every context's next batch
 * honours: node-llama-cpp sets each batch's threads from it), so no context is recreated and
 * no KV cache is lost. Checks are at least `intervalMs` apart; the first one only samples.
 */
export class LoadAwareThreads {
  private last: CpuSample | undefined;
  private lastAt = 0;
  /** The cap in force (the ceiling until a check lowers it). */
  current: number;

  constructor(
    private readonly llama: Llama,
    readonly ceiling: number,
    private readonly intervalMs = 1000,
    private readonly cores = os.availableParallelism(),
  ) {
    this.current = ceiling;
  }

  /** Call between model calls; cheap (two counter reads) and rate-limited. */
  recheck(now = performance.now()): number {
    if (!this.last || now - this.lastAt >= this.intervalMs) {
      const next = sample();
      if (this.last) {
        const busy = othersBusyCores(this.last, next, this.cores);
        this.current = Math.min(this.ceiling, threadsForLoad(this.cores, busy));
      }
      this.last = next;
      this.lastAt = now;
    }
    // Applied every time, not only on a change: the cap is the Llama's, and anything else in the
    // process (a benchmark, another library) may have set it since.
    if (this.llama.maxThreads !== this.current) this.llama.maxThreads = this.current;
    return this.current;
  }
}

const perLlama = new WeakMap<Llama, LoadAwareThreads>();

/**
 * The process's load-aware thread cap for `llama`, or undefined where it does not apply: a GPU
 * backend (the CPU threads only feed the GPU) or an explicit HEARTH_THREADS (the user decided).
 */
export function loadAwareThreads(
  llama: Llama,
  env: NodeJS.ProcessEnv = process.env,
): LoadAwareThreads | undefined {
  if (llama.gpu !== false || (env.HEARTH_THREADS !== undefined && env.HEARTH_THREADS !== "")) {
    return undefined;
  }
  let found = perLlama.get(llama);
  if (!found) {
    found = new LoadAwareThreads(llama, Math.max(1, llama.maxThreads));
    perLlama.set(llama, found);
  }
  return found;
}
