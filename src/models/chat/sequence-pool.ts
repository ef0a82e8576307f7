import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";

export interface SequenceLease {
  sequence: LlamaContextSequence;
  index: number;
}

/** Every sequence is busy and the wait queue is full: the caller should retry later (a server answers 429). */
export class QueueFullError extends Error {
  override name = "QueueFullError";
  constructor(
    readonly sequences: number,
    readonly waiting: number,
  ) {
    super(
      `All ${sequences} context sequences are busy and ${waiting} calls are already waiting (maxQueue). Raise \`sequences\` or \`maxQueue\`, or send fewer concurrent calls.`,
    );
  }
}

interface Waiter {
  fingerprint: string[];
  resolve(lease: SequenceLease): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * The context's sequences, lent one per call. node-llama-cpp reuses the KV cache of a
 * sequence's matching prefix, so a call goes to the free sequence whose last history shares
 * the longest prefix with its own (a follow-up turn lands where its conversation already is).
 * When all are busy, callers wait in a bounded FIFO queue.
 */
export class SequencePool {
  private readonly sequences: LlamaContextSequence[];
  private readonly busy: boolean[];
  private readonly lastFingerprint: string[][];
  private readonly lastUsed: number[];
  private readonly waiters: Waiter[] = [];
  private clock = 0;
  /** Calls refused because the queue was full (monitoring reads it). */
  rejected = 0;

  constructor(
    context: LlamaContext,
    private readonly maxQueue: number,
  ) {
    this.sequences = Array.from({ length: context.totalSequences }, () => context.getSequence());
    this.busy = this.sequences.map(() => false);
    this.lastFingerprint = this.sequences.map(() => []);
    this.lastUsed = this.sequences.map(() => 0);
  }

  get size(): number {
    return this.sequences.length;
  }

  /** Sequences lent out right now. */
  get busyCount(): number {
    return this.busy.filter(Boolean).length;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  get all(): readonly LlamaContextSequence[] {
    return this.sequences;
  }

  acquire(fingerprint: string[], signal?: AbortSignal): Promise<SequenceLease> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const free = this.pickFree(fingerprint);
    if (free !== undefined) return Promise.resolve(this.lend(free));
    if (this.waiters.length >= this.maxQueue) {
      this.rejected++;
      return Promise.reject(new QueueFullError(this.sequences.length, this.waiters.length));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { fingerprint, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const position = this.waiters.indexOf(waiter);
          if (position >= 0) this.waiters.splice(position, 1);
          reject(abortError(signal));
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
    });
  }

  release(lease: SequenceLease, fingerprint: string[] | undefined): void {
    // After a failed or aborted call the sequence's cache no longer matches any history.
    this.lastFingerprint[lease.index] = fingerprint ?? [];
    this.busy[lease.index] = false;
    const next = this.waiters.shift();
    if (next) {
      if (next.signal && next.onAbort) next.signal.removeEventListener("abort", next.onAbort);
      next.resolve(this.lend(lease.index));
    }
  }

  private lend(index: number): SequenceLease {
    this.busy[index] = true;
    this.lastUsed[index] = ++this.clock;
    return { sequence: this.sequences[index], index };
  }

  private pickFree(fingerprint: string[]): number | undefined {
    let best: number | undefined;
    let bestShared = -1;
    for (let index = 0; index < this.sequences.length; index++) {
      if (this.busy[index]) continue;
      const shared = sharedPrefixLength(this.lastFingerprint[index], fingerprint);
      // Ties go to the least recently used sequence, keeping other conversations' caches warm.
      if (
        shared > bestShared ||
        (shared === bestShared && this.lastUsed[index] < this.lastUsed[best!])
      ) {
        best = index;
        bestShared = shared;
      }
    }
    return best;
  }
}

function sharedPrefixLength(a: string[], b: string[]): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return index;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(typeof reason === "string" ? reason : "The call was aborted");
  error.name = "AbortError";
  return error;
}
