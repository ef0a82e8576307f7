import os from "node:os";

/**
 * How many threads llama.cpp gets.
 *
 * node-llama-cpp's CPU build defaults to max(4, cores): on a 2-core machine four threads
 * oversubscribe the cores and decoding ran 15–50× slower than with one thread (see
 * bench/threads.ts for the measurement). The rule: one thread per core the OS gives us,
 * never more, overridable with HEARTH_THREADS for machines where hyper-threads or other
 * tenants change the picture.
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
