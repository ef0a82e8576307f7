export interface TimeLimit<T> {
  timeoutMs: number;
  /** The caller's signal: aborting it aborts the run's signal too. */
  signal?: AbortSignal;
  /**
   * What the run settles with when its time is up: a value to return, or an error to throw. It
   * is settled before the run's signal aborts, so it wins over the abort error the run may raise.
   */
  onTimeout: () => T;
  /** Why the run's signal aborts when time is up. */
  abortReason: () => unknown;
  /**
   * What a run that finished only after its time was up settles with instead of its value. A
   * synchronous run (a busy loop) holds the event loop, so the timer cannot fire until it ends and
   * its value would otherwise arrive first, as if in time. Called with that value and the time it
   * took; may return a value or throw.
   */
  onLate: (value: T, elapsedMs: number) => T;
}

/**
 * Runs `run` with a signal that aborts after `timeoutMs`, and stops waiting for it then: a hung
 * tool cannot hold its caller. The one time limit for tools, used by `defineTool`'s own
 * `timeoutMs` and by the agent graph's tool node. Node's `AbortSignal.timeout` alone would abort
 * the signal but not stop waiting on a tool that ignores it. Nothing can stop synchronous code
 * that never yields: such a run is waited for, and its value is replaced by `onLate`.
 */
export async function withTimeLimit<T>(
  run: (signal: AbortSignal) => T | Promise<T>,
  limit: TimeLimit<T>,
): Promise<T> {
  const controller = new AbortController();
  const signal = limit.signal
    ? AbortSignal.any([limit.signal, controller.signal])
    : controller.signal;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(limit.onTimeout());
      } catch (error) {
        reject(error);
      }
      controller.abort(limit.abortReason());
    }, limit.timeoutMs);
  });
  const started = performance.now();
  const finished = (async () => {
    const value = await run(signal);
    const elapsedMs = performance.now() - started;
    return elapsedMs >= limit.timeoutMs ? limit.onLate(value, elapsedMs) : value;
  })();
  try {
    return await Promise.race([finished, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
