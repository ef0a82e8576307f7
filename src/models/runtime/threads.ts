import os from "node:os";

/**
 * How many threads llama.cpp gets.
 *
 * node-llama-cpp's CPU build defaults to max(4, cores): on a 2-core machine four threads
 * oversubscribe the cores and decoding ran 15–50× slower than with one thread (see
 * src/bench/threads/run.ts for the measurement). The rule: one thread per core the OS gives us,
 * never more (a model's context may use fewer, see `contextThreads`), overridable with
 * HEARTH_THREADS for machines where hyper-threads or other tenants change the picture.
 */
export function chooseThreadCount(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = os.availableParallelism(),
): number {
  const override = env.HEARTH_THREADS;
  if (override !== undefined && override !== "") {
    const parsed = Number(override);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new Error(
        `HEARTH_THREADS must be a positive integer, got "${override}". Unset it to use one thread per core (${cores}).`,
      );
    }
    return parsed;
  }
  return Math.max(1, cores);
}

/** Below this size a token's work is too small to split: thread hand-offs cost more than they save. */
export const SINGLE_THREAD_MODEL_BYTES = 64 * 2 ** 20;

/**
 * Threads for one model's context. src/bench/threads/run.ts on 2 cores: a 0.1M-parameter model
 * decoded ~6× faster on 1 thread than on 2, while a 10M-parameter one processed prompts
 * ~1.8× faster on 2 threads and decoded at about the same speed. So tiny models get one
 * thread; real models get every core. HEARTH_THREADS overrides both.
 *
 * On a small machine that also runs other work, fewer threads are more robust: ggml's threads
 * wait for each other at every op, so one descheduled thread stalls the whole step (the bench
 * saw 2 threads on 2 busy cores drop to 1–3 tok/s while 1 thread held 15–25). node-llama-cpp
 * sets llama.cpp's decode and batch thread counts together, so "all cores for prompts, fewer
 * for decoding" is not available; set HEARTH_THREADS=1 on such machines.
 */
export function contextThreads(
  modelBytes: number,
  env: NodeJS.ProcessEnv = process.env,
  cores?: number,
): number {
  const ceiling = chooseThreadCount(env, cores);
  if (env.HEARTH_THREADS) return ceiling;
  return modelBytes < SINGLE_THREAD_MODEL_BYTES ? 1 : ceiling;
}
