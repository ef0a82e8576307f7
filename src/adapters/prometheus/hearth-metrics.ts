import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { HardwareProfile } from "../../models/hardware/index.js";
import type { ModelSelection } from "../../models/select/index.js";
import { modelLabel } from "../telemetry/index.js";
import { PrometheusCallbackHandler } from "./callback-handler.js";
import { metricsHandler } from "./metrics-handler.js";
import {
  type ObservableChatModel,
  type ObservedModel,
  registerScrapeCollectors,
} from "./scrape-collectors.js";
import { selectionLabels } from "./selection-labels.js";

export interface HearthMetricsOptions {
  /** Where the metrics are registered. Default: a registry of their own, not prom-client's global one. */
  registry?: Registry;
  /**
   * Also register prom-client's process and Node.js metrics (`process_resident_memory_bytes`, …).
   * Default: true on Hearth's own registry, false on one you pass (it may have them already).
   */
  defaultMetrics?: boolean;
  /** Bucket bounds (seconds) of the model-call latency histogram. */
  latencyBuckets?: number[];
}

const DEFAULT_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160];

/**
 * Hearth's Prometheus metrics: model selection, model-call latency and tokens, KV-cache reuse,
 * tool calls by outcome, the response cache, the sequence queue, memory. Feed it by passing
 * `metrics.callbacks` to `graph.invoke` (or any LangChain call), `observeChatModel(model)` and
 * `recordSelection(selection, hardware)`; expose it with `metrics.handler()`.
 */
export class HearthMetrics {
  readonly registry: Registry;
  /** A LangChain callback handler that records every run it sees into these metrics. */
  readonly callbacks: PrometheusCallbackHandler;

  readonly selections: Counter<"tier" | "quantization" | "backend" | "vram_class" | "offload">;
  readonly modelCallDuration: Histogram<"model" | "node" | "status">;
  readonly modelTokens: Counter<"model" | "type">;
  readonly promptTokens: Counter<"model" | "source">;
  readonly queueWait: Histogram<"model">;
  readonly toolCalls: Counter<"tool" | "outcome">;
  readonly toolRepairs: Counter<"tool">;
  readonly toolDuration: Histogram<"tool" | "status">;
  readonly nodeDuration: Histogram<"node">;
  readonly graphTurns: Counter<"route" | "stop_reason" | "validation">;
  readonly graphToolRounds: Histogram<string>;
  /** For a server in front of the model: answers by path and status (429s are refused requests). */
  readonly httpRequests: Counter<"path" | "status">;

  private readonly models: ObservedModel[] = [];

  constructor(options: HearthMetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    const registers = [registry];
    if (options.defaultMetrics ?? options.registry === undefined) {
      collectDefaultMetrics({ register: registry });
    }

    this.selections = new Counter({
      name: "hearth_model_selections_total",
      help: "Models chosen for a machine, by tier, quantization, GPU backend, VRAM class and offload.",
      labelNames: ["tier", "quantization", "backend", "vram_class", "offload"],
      registers,
    });
    this.modelCallDuration = new Histogram({
      name: "hearth_model_call_duration_seconds",
      help: "Chat model call latency by model and graph node; status ok, error, or cached (answered from the response cache).",
      labelNames: ["model", "node", "status"],
      buckets: options.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS,
      registers,
    });
    this.modelTokens = new Counter({
      name: "hearth_model_tokens_total",
      help: "Tokens of model calls: input (prompt), output, and cached (prompt tokens the model reported as served from a cache).",
      labelNames: ["model", "type"],
      registers,
    });
    this.promptTokens = new Counter({
      name: "hearth_prompt_tokens_total",
      help: "Prompt tokens of in-process models by source: evaluated, or reused from the KV cache of a matching prefix.",
      labelNames: ["model", "source"],
      registers,
    });
    this.queueWait = new Histogram({
      name: "hearth_queue_wait_seconds",
      help: "Time model calls waited for a free context sequence.",
      labelNames: ["model"],
      buckets: [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.toolCalls = new Counter({
      name: "hearth_tool_calls_total",
      help: "Tool calls the model proposed, by outcome: valid (ran), invalid (refused: unreadable, unknown tool, bad arguments), failed (ran and threw or timed out).",
      labelNames: ["tool", "outcome"],
      registers,
    });
    this.toolRepairs = new Counter({
      name: "hearth_tool_calls_repaired_total",
      help: "Valid tool calls that followed an invalid call of the same tool in the same turn (the model fixed its call).",
      labelNames: ["tool"],
      registers,
    });
    this.toolDuration = new Histogram({
      name: "hearth_tool_duration_seconds",
      help: "Tool execution time.",
      labelNames: ["tool", "status"],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
      registers,
    });
    this.nodeDuration = new Histogram({
      name: "hearth_graph_node_duration_seconds",
      help: "Wall time of one run of an agent graph node.",
      labelNames: ["node"],
      buckets: options.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS,
      registers,
    });
    this.graphTurns = new Counter({
      name: "hearth_graph_turns_total",
      help: "Agent graph turns by route, stop reason and validation result, as the graph recorded them.",
      labelNames: ["route", "stop_reason", "validation"],
      registers,
    });
    this.graphToolRounds = new Histogram({
      name: "hearth_graph_tool_rounds",
      help: "Tool rounds per agent graph turn.",
      buckets: [0, 1, 2, 3, 4, 5],
      registers,
    });

    this.httpRequests = new Counter({
      name: "hearth_http_requests_total",
      help: "HTTP requests a Hearth server answered, by path and status code.",
      labelNames: ["path", "status"],
      registers,
    });
    registerScrapeCollectors(registry, this.models);
    this.callbacks = new PrometheusCallbackHandler(this);
  }

  /** Counts one model choice (what `selectModel` returned for this machine). */
  recordSelection(
    selection: Pick<ModelSelection, "tier" | "model" | "offload">,
    hardware: Pick<HardwareProfile, "gpu">,
  ): void {
    this.selections.inc(selectionLabels(selection, hardware));
  }

  /**
   * Reads a chat model's queue (ChatNodeLlamaCpp's `queueStats`) and response-cache counters
   * (DeterministicLruCache's hits and misses) at every scrape. `name` defaults to the label the
   * callbacks use for the same model (its file name). `recordCalls: true` also attaches
   * `callbacks` to the model itself, so calls made without them (a server's requests) are
   * recorded; a call that passes them as well is still counted once.
   */
  observeChatModel(
    model: BaseChatModel,
    options: { name?: string; recordCalls?: boolean } = {},
  ): () => void {
    const path = (model as { modelPath?: unknown }).modelPath;
    const label = options.name ?? modelLabel(typeof path === "string" ? path : model.getName());
    const entry: ObservedModel = { label, model: model as unknown as ObservableChatModel };
    this.models.push(entry);
    const handler = this.callbacks;
    if (options.recordCalls) {
      const current = model.callbacks;
      if (current && !Array.isArray(current)) current.addHandler(handler, true);
      else model.callbacks = [...(current ?? []), handler];
    }
    /** Stops observing (the model may outlive whoever observed it, e.g. a server). */
    return () => {
      const at = this.models.indexOf(entry);
      if (at >= 0) this.models.splice(at, 1);
      if (!options.recordCalls) return;
      const current = model.callbacks;
      if (current && !Array.isArray(current)) current.removeHandler(handler);
      else if (current) model.callbacks = current.filter((h) => h !== handler);
    };
  }

  /** A request handler for node:http or Express that answers with these metrics. */
  handler() {
    return metricsHandler(this.registry);
  }
}
