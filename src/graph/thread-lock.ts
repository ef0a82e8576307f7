import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { getOrCreate } from "../util/get-or-create.js";

/** Gives the lock back; safe to call once. */
export type ReleaseThread = () => Promise<void>;

/**
 * Exclusive use of one thread for the length of a run. `acquire` waits at most `waitMs`, then
 * throws a `ThreadBusyError`; the caller must call the returned release function.
 */
export interface ThreadLock {
  acquire(threadId: string, waitMs: number, signal?: AbortSignal): Promise<ReleaseThread>;
}

/** How long a run waits for another run on the same thread by default before giving up. */
export const DEFAULT_THREAD_WAIT_MS = 120_000;

/** A run could not start because another run on the same thread did not finish in time. */
export class ThreadBusyError extends Error {
  override readonly name = "ThreadBusyError";
  constructor(
    readonly threadId: string,
    readonly waitedMs: number,
    where: string,
  ) {
    super(
      `Thread "${threadId}" is busy: another run on it (${where}) did not finish within ${waitedMs} ms. ` +
        "Runs on one thread take turns so that no turn is lost; wait for the other run to end and retry, " +
        "use another thread_id, or give createAgentGraph a longer threadWaitMs.",
    );
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("The run was aborted.");
}

/**
 * Serialises runs on a thread inside this process: the first holds the thread, later ones queue
 * in arrival order and each waits at most its own `waitMs`.
 */
export class LocalThreadLocks implements ThreadLock {
  private readonly held = new Map<string, Array<() => void>>();

  async acquire(threadId: string, waitMs: number, signal?: AbortSignal): Promise<ReleaseThread> {
    if (signal?.aborted) throw abortError(signal);
    const queue = this.held.get(threadId);
    if (!queue) {
      this.held.set(threadId, []);
    } else {
      await new Promise<void>((resolve, reject) => {
        const leave = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          const at = queue.indexOf(wake);
          if (at >= 0) queue.splice(at, 1);
        };
        const wake = () => {
          leave();
          resolve();
        };
        const onAbort = () => {
          leave();
          reject(abortError(signal as AbortSignal));
        };
        const timer = setTimeout(() => {
          leave();
          reject(new ThreadBusyError(threadId, waitMs, "in this process"));
        }, waitMs);
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(wake);
      });
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      const waiting = this.held.get(threadId);
      const next = waiting?.shift();
      if (next) next();
      else this.held.delete(threadId);
    };
  }
}

/**
 * A lock held in the thread store itself, so that runs in other processes (or on other machines)
 * sharing the store take turns too. `tryAcquire` returns undefined while another holder has it.
 */
export interface StoreThreadLock {
  /** Where the lock lives, for error messages ("PostgreSQL advisory lock", "lock row in …"). */
  readonly where: string;
  tryAcquire(threadId: string): Promise<ReleaseThread | undefined>;
  close(): Promise<void>;
}

const POLL_MS = 50;
const POLL_MAX_MS = 500;

/** Polls a store lock with backoff until it is free, the wait is over or the run is aborted. */
export async function acquireStoreLock(
  lock: StoreThreadLock,
  threadId: string,
  waitMs: number,
  signal?: AbortSignal,
): Promise<ReleaseThread> {
  const deadline = Date.now() + waitMs;
  let pause = POLL_MS;
  for (;;) {
    if (signal?.aborted) throw abortError(signal);
    const release = await lock.tryAcquire(threadId);
    if (release) return release;
    const left = deadline - Date.now();
    if (left <= 0) throw new ThreadBusyError(threadId, waitMs, `held through the ${lock.where}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, POLL_MAX_MS);
  }
}

/** In-process turns first (no polling between local runs), then the store's lock across processes. */
export class CombinedThreadLock implements ThreadLock {
  constructor(
    private readonly local: LocalThreadLocks,
    private readonly store?: StoreThreadLock,
  ) {}

  async acquire(threadId: string, waitMs: number, signal?: AbortSignal): Promise<ReleaseThread> {
    const started = Date.now();
    const releaseLocal = await this.local.acquire(threadId, waitMs, signal);
    if (!this.store) return releaseLocal;
    try {
      const left = Math.max(0, waitMs - (Date.now() - started));
      const releaseStore = await acquireStoreLock(this.store, threadId, left, signal);
      return async () => {
        try {
          await releaseStore();
        } finally {
          await releaseLocal();
        }
      };
    } catch (error) {
      await releaseLocal();
      throw error;
    }
  }
}

interface StoreEntry {
  lock: ThreadLock;
  close: () => Promise<void>;
}

const stores = new WeakMap<BaseCheckpointSaver, StoreEntry>();

/** Records the cross-process lock (and how to close it) that belongs to a checkpointer. */
export function registerThreadStore(
  saver: BaseCheckpointSaver,
  store: StoreThreadLock | undefined,
  close: () => Promise<void>,
): void {
  stores.set(saver, { lock: new CombinedThreadLock(new LocalThreadLocks(), store), close });
}

/**
 * The lock for runs on `saver`'s threads: the store's own lock when `openCheckpointer` opened it,
 * else turns within this process (any other checkpointer).
 */
export function threadLockFor(saver: BaseCheckpointSaver): ThreadLock {
  return getOrCreate(stores, saver, () => ({
    lock: new CombinedThreadLock(new LocalThreadLocks()),
    close: async () => {},
  })).lock;
}

/** Closes what `openCheckpointer` opened (database connections, lock connections). */
export async function closeCheckpointer(saver: BaseCheckpointSaver): Promise<void> {
  const entry = stores.get(saver);
  stores.delete(saver);
  await entry?.close();
}
