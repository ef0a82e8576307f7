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
}

/**
 * Runs `run` with a signal that aborts after `timeoutMs`, and stops waiting for it then: a hung
 * tool cannot hold its caller. The one time limit for tools, used by `defineTool`'s own
 * `timeoutMs` and by the agent graph's tool node. Node's `AbortSignal.timeout` alone would abort
 * the signal but not stop waiting on a tool that ignores it.
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
  try {
    return await Promise.race([run(signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
