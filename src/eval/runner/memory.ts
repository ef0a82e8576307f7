/** Samples the process's resident set size on a timer and keeps the peak. */
export class RssSampler {
  private peak = process.memoryUsage().rss;
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 50): this {
    this.timer = setInterval(() => this.sample(), intervalMs);
    // The sampler must never keep a finished run alive.
    this.timer.unref();
    return this;
  }

  sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return rss;
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.peak;
  }
}
