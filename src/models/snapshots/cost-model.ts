/**
 * Restore or evaluate? Restoring a prefix's KV state reads about
 * 2 (keys and values) × layers × KV heads × head size × tokens × bytes per value; evaluating it
 * costs the prompt's compute. Both rates are measured on this machine as the process goes
 * (each evaluation and each restore updates them), starting from conservative guesses, so the
 * choice follows the model, the hardware and the load actually seen.
 */
export class SnapshotCostModel {
  /** Prompt tokens evaluated per ms (undefined until one evaluation has been timed). */
  private evaluateTokensPerMs: number | undefined;
  /** Bytes restored per ms, checksum included. Guess: 300 MB/s, a slow disk's cold read. */
  private restoreBytesPerMs = 300_000;
  /** Fixed cost of a restore (open, checks, llama.cpp's bookkeeping). */
  private restoreOverheadMs = 5;

  constructor(readonly kvBytesPerToken: number) {}

  /** Bytes a snapshot of `tokens` tokens holds. */
  snapshotBytes(tokens: number): number {
    return this.kvBytesPerToken * tokens;
  }

  estimateRestoreMs(bytes: number): number {
    return this.restoreOverheadMs + bytes / this.restoreBytesPerMs;
  }

  estimateEvaluateMs(tokens: number): number | undefined {
    return this.evaluateTokensPerMs === undefined ? undefined : tokens / this.evaluateTokensPerMs;
  }

  /** True when restoring `tokens` from disk is expected to beat evaluating them (unknown: try it). */
  restoreBeatsEvaluate(tokens: number, bytes = this.snapshotBytes(tokens)): boolean {
    const evaluate = this.estimateEvaluateMs(tokens);
    return evaluate === undefined || this.estimateRestoreMs(bytes) < evaluate;
  }

  /** Worth writing a snapshot: a later restore should save at least half the evaluation. */
  saveWorthwhile(tokens: number): boolean {
    const evaluate = this.estimateEvaluateMs(tokens);
    if (evaluate === undefined) return false;
    return this.estimateRestoreMs(this.snapshotBytes(tokens)) < evaluate / 2;
  }

  observeEvaluate(tokens: number, ms: number): void {
    if (tokens <= 0 || ms <= 0) return;
    const rate = tokens / ms;
    this.evaluateTokensPerMs =
      this.evaluateTokensPerMs === undefined ? rate : (this.evaluateTokensPerMs + rate) / 2;
  }

  observeRestore(bytes: number, ms: number): void {
    if (bytes <= 0 || ms <= 0) return;
    this.restoreBytesPerMs = (this.restoreBytesPerMs + bytes / ms) / 2;
  }

  describe(): { evaluateTokensPerS: number | null; restoreMBPerS: number } {
    return {
      evaluateTokensPerS:
        this.evaluateTokensPerMs === undefined ? null : this.evaluateTokensPerMs * 1000,
      restoreMBPerS: this.restoreBytesPerMs / 1000,
    };
  }
}
