import { Counter, Gauge, type Registry } from "prom-client";
import { existingHearthLlama } from "../../models/runtime/index.js";

/** What is read from a chat model at each scrape; ChatNodeLlamaCpp has all of it. */
export interface ObservableChatModel {
  queueStats?: { sequences: number; busy: number; waiting: number; rejected: number };
  cache?: unknown;
}

export interface ObservedModel {
  label: string;
  model: ObservableChatModel;
}

type QueueStats = NonNullable<ObservableChatModel["queueStats"]>;

/**
 * Metrics read when Prometheus scrapes rather than recorded as runs happen: the models' sequence
 * queues and response caches (their own counters), memory, and GPU memory. `models` is read live,
 * so models observed later are included.
 */
export function registerScrapeCollectors(
  registry: Registry,
  models: readonly ObservedModel[],
): void {
  const registers = [registry];
  /** Last value read from each external monotonic counter, to add only what is new. */
  const seen = new Map<string, number>();
  const addNew = (counter: Counter<string>, labels: Record<string, string>, total: number) => {
    const key = JSON.stringify(labels);
    const before = seen.get(key) ?? 0;
    // A smaller total means a new source (a reloaded model, a new cache): all of it is new.
    const added = total >= before ? total - before : total;
    seen.set(key, total);
    if (added > 0) counter.inc(labels, added);
  };
  const queueGauge = (name: string, help: string, read: (stats: QueueStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["model"],
      registers,
      collect() {
        for (const { label, model } of models) {
          const stats = model.queueStats;
          if (stats) this.set({ model: label }, read(stats));
        }
      },
    });
  queueGauge(
    "hearth_queue_waiting_calls",
    "Model calls waiting for a free context sequence.",
    (s) => s.waiting,
  );
  queueGauge("hearth_sequences_busy", "Context sequences generating now.", (s) => s.busy);
  queueGauge(
    "hearth_sequences",
    "Context sequences of the loaded model (concurrent calls it serves).",
    (s) => s.sequences,
  );
  new Counter({
    name: "hearth_rejected_requests_total",
    help: "Model calls refused because the queue was full (maxQueue).",
    labelNames: ["model"],
    registers,
    collect() {
      for (const { label, model } of models) {
        const stats = model.queueStats;
        if (stats) addNew(this, { model: label }, stats.rejected);
      }
    },
  });
  new Counter({
    name: "hearth_response_cache_requests_total",
    help: "Lookups in a chat model's response cache (deterministic calls only), by result: hit or miss.",
    labelNames: ["model", "result"],
    registers,
    collect() {
      for (const { label, model } of models) {
        const cache = model.cache as { hits?: unknown; misses?: unknown } | undefined;
        if (typeof cache?.hits !== "number" || typeof cache.misses !== "number") continue;
        addNew(this, { model: label, result: "hit" }, cache.hits);
        addNew(this, { model: label, result: "miss" }, cache.misses);
      }
    },
  });
  new Gauge({
    name: "hearth_process_peak_resident_memory_bytes",
    help: "Peak resident memory of this process since it started (covers inference peaks between scrapes).",
    registers,
    collect() {
      // The kernel updates its high-water mark lazily: never report less than the RSS now.
      this.set(Math.max(process.resourceUsage().maxRSS * 1024, process.memoryUsage.rss()));
    },
  });
  const gpuMemory = (
    name: string,
    help: string,
    read: (state: { used: number; total: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      // Labelled so that, without a GPU, there is no series at all rather than a 0.
      labelNames: ["backend"],
      registers,
      async collect() {
        // Only a Llama someone already started: a scrape must never load the runtime.
        const llama = await existingHearthLlama()?.catch(() => undefined);
        if (!llama || llama.gpu === false) return;
        this.set({ backend: llama.gpu }, read(await llama.getVramState()));
      },
    });
  gpuMemory(
    "hearth_gpu_memory_used_bytes",
    "GPU memory in use (llama.cpp's view of the device).",
    (s) => s.used,
  );
  gpuMemory("hearth_gpu_memory_total_bytes", "GPU memory of the device.", (s) => s.total);
}
