import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { HearthMetrics, metricsForServer, vramClass } from "../../src/adapters/prometheus/index.js";
import { createAgentGraph } from "../../src/graph/index.js";
import { ChatNodeLlamaCpp, type DeterministicLruCache } from "../../src/models/chat/index.js";
import { hardwareFromSpec } from "../../src/models/hardware/index.js";
import { getHearthLlama } from "../../src/models/runtime/index.js";
import { selectModel } from "../../src/models/select/index.js";
import { ScriptedChatModel } from "../../src/testing/index.js";
import { addTool, threadConfig } from "../helpers/graph-fixtures.js";
import { pickTool, repairingModel } from "../helpers/monitoring-fixtures.js";
import { testModelPath } from "../helpers/test-models.js";

const PROMETHEUS = "/usr/bin/prometheus";
const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("metricsHandler", () => {
  it("serves the text exposition format with Prometheus's content type, and refuses other methods", async () => {
    const metrics = new HearthMetrics({ defaultMetrics: false });
    metrics.modelTokens.inc({ model: "m", type: "input" }, 7);
    const server = createServer(metrics.handler());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const response = await fetch(`${base}/metrics`);
      assert.equal(response.status, 200);
      assert.equal(
        response.headers.get("content-type"),
        "text/plain; version=0.0.4; charset=utf-8",
      );
      const text = await response.text();
      assert.match(text, /# TYPE hearth_model_tokens_total counter/);
      assert.match(text, /hearth_model_tokens_total\{model="m",type="input"\} 7/);
      assert.doesNotMatch(text, /process_resident_memory_bytes/, "default metrics were turned off");
      const post = await fetch(`${base}/metrics`, { method: "POST" });
      assert.equal(post.status, 405);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("records a model's own calls with recordCalls, once even when callbacks are passed too", async () => {
    const metrics = new HearthMetrics({ defaultMetrics: false });
    const model = new ScriptedChatModel(async () => new AIMessage("hi"));
    const stop = metrics.observeChatModel(model, { name: "scripted", recordCalls: true });
    await model.invoke("one");
    await model.invoke("two", { callbacks: [metrics.callbacks] });
    stop();
    await model.invoke("three, no longer observed");
    const text = await metrics.registry.metrics();
    assert.match(
      text,
      /hearth_model_call_duration_seconds_count\{model="ScriptedChatModel",node="none",status="ok"\} 2\n/,
    );
    assert.match(text, /hearth_model_tokens_total\{model="ScriptedChatModel",type="output"\} 10\n/);
    assert.deepEqual(model.callbacks, [], "stop() took the handler off the model");
  });

  it("metricsForServer: a server's model calls, queue and answers by path and status", async () => {
    const model = new ScriptedChatModel(async () => new AIMessage("hi"));
    const served = metricsForServer(model, {
      metrics: new HearthMetrics({ defaultMetrics: false }),
    });
    const server = createServer(async (request, response) => {
      const path = request.url === "/metrics" || request.url === "/chat" ? request.url : "other";
      served.countResponse(path, response);
      if (path === "/metrics") return served.handler(request, response);
      if (path === "/chat") {
        const reply = await model.invoke("hello"); // no callbacks: the server does not pass any
        return void response.writeHead(200).end(String(reply.content));
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const url of ["/chat", "/chat", "/nowhere"]) await (await fetch(base + url)).text();
      const text = await (await fetch(`${base}/metrics`)).text();
      assert.match(text, /hearth_http_requests_total\{path="\/chat",status="200"\} 2\n/);
      assert.match(text, /hearth_http_requests_total\{path="other",status="404"\} 1\n/);
      assert.match(
        text,
        /hearth_model_call_duration_seconds_count\{model="ScriptedChatModel",node="none",status="ok"\} 2\n/,
      );
    } finally {
      served.close();
      await new Promise((resolve) => server.close(resolve));
    }
    assert.deepEqual(model.callbacks, []);
  });

  it("classes VRAM as cards are sold", () => {
    const gpu = (vramGiB: number) =>
      hardwareFromSpec({ gpu: "cuda", vramGiB, ramGiB: 32, cores: 8 });
    assert.equal(vramClass(hardwareFromSpec({ gpu: "none", ramGiB: 16, cores: 4 })), "none");
    assert.equal(vramClass(gpu(8)), "le8gib");
    assert.equal(vramClass(gpu(11.6)), "le12gib");
    assert.equal(vramClass(gpu(24)), "le24gib");
    assert.equal(vramClass(gpu(141)), "gt80gib");
  });
});

describe("Prometheus scrapes Hearth's metrics", {
  skip: existsSync(PROMETHEUS)
    ? false
    : `${PROMETHEUS} is not installed (apt-get install prometheus): the scrape test needs a real Prometheus server`,
}, () => {
  let dir: string;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let target: Server;
  let model: ChatNodeLlamaCpp;
  const metrics = new HearthMetrics();

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "hearth-prometheus-"));
    target = createServer((request, response) => {
      if (request.url === "/metrics") return void metrics.handler()(request, response);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const targetPort = (target.address() as AddressInfo).port;
    const config = path.join(dir, "prometheus.yml");
    await writeFile(
      config,
      [
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        "  - job_name: hearth",
        "    scrape_interval: 1s",
        "    scrape_timeout: 1s",
        "    static_configs:",
        `      - targets: ["127.0.0.1:${targetPort}"]`,
        "",
      ].join("\n"),
    );
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    prometheus.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    prometheus.on("exit", (code) => {
      if (code) stderr += `\n(exited with ${code})`;
    });
    await waitFor(`Prometheus to be ready (${stderr})`, async () =>
      (await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined,
    );
    model = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 2048,
      // Room for the shortest complete forced call (a smaller budget is refused).
      maxTokens: 64,
      sequences: 1,
      maxQueue: 1,
      cache: true,
    });
    metrics.observeChatModel(model);
  });

  after(async () => {
    if (prometheus?.pid && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once("exit", resolve));
      process.kill(prometheus.pid, "SIGTERM");
      await exited;
    }
    await new Promise((resolve) => target?.close(resolve));
    await model?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** One instant query; the sum of the matching series, or undefined when there are none. */
  async function query(promql: string): Promise<number | undefined> {
    const response = await fetch(
      `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    assert.equal(body.status, "success", `${promql}: ${body.error}`);
    if (body.data.result.length === 0) return undefined;
    return body.data.result.reduce((sum, series) => sum + Number(series.value[1]), 0);
  }

  it("holds the counts of a few graph turns, tokens, cache, queue and selection events", async () => {
    // Selection events for three machines.
    for (const spec of [
      { gpu: "cuda", vramGiB: 12, ramGiB: 32, cores: 8 },
      { gpu: "cuda", vramGiB: 12, ramGiB: 32, cores: 8 },
      { gpu: "none", ramGiB: 16, cores: 4 },
    ] as const) {
      const hardware = hardwareFromSpec(spec);
      metrics.recordSelection(selectModel(hardware), hardware);
    }
    const cudaChoice = selectModel(
      hardwareFromSpec({ gpu: "cuda", vramGiB: 12, ramGiB: 32, cores: 8 }),
    );

    // Graph logic on a scripted model: an invalid call, an unknown tool, then the fixed call.
    const scripted = repairingModel();
    const scriptedGraph = createAgentGraph({ model: scripted, tools: [addTool] });
    await scriptedGraph.invoke(ask("What is 2 + 3?"), {
      ...threadConfig("prom-scripted"),
      callbacks: [metrics.callbacks],
    });

    // The real model: a turn, the same turn again on another thread (every call answered from
    // the response cache), and three concurrent calls on one sequence with room for one waiter.
    const graph = createAgentGraph({ model, tools: [pickTool], routing: "tools", validate: false });
    const first = await graph.invoke(ask("What is alpha?"), {
      ...threadConfig("prom-real-1"),
      callbacks: [metrics.callbacks],
    });
    const cache = model.cache as DeterministicLruCache;
    const hitsBefore = cache.hits;
    await graph.invoke(ask("What is alpha?"), {
      ...threadConfig("prom-real-2"),
      callbacks: [metrics.callbacks],
    });
    const turnCalls = first.metrics.modelCalls;
    assert.equal(cache.hits - hitsBefore, turnCalls, "the repeated turn came from the cache");
    const concurrent = await Promise.allSettled(
      ["one", "two", "three"].map((word) =>
        model.invoke(`Say ${word}`, { callbacks: [metrics.callbacks] }),
      ),
    );
    assert.deepEqual(
      concurrent.map((r) => r.status).sort(),
      ["fulfilled", "fulfilled", "rejected"],
      "one runs, one waits, the third is refused",
    );
    const meter = { ...model.tokenMeter };
    const stats = model.queueStats!;
    assert.equal(stats.rejected, 1);
    const finishedAt = Date.now() / 1000;

    // Wait for a scrape that started after the run ended.
    await waitFor("a scrape after the run", async () => {
      const scraped = await query('timestamp(up{job="hearth"})');
      return scraped !== undefined && scraped > finishedAt ? scraped : undefined;
    });
    assert.equal(await query('up{job="hearth"}'), 1);

    const label = path.basename(model.modelPath!, ".gguf");
    const real = `model="${label}"`;
    // Tokens and KV-cache reuse equal the model's own meter (cached answers add none).
    assert.equal(
      await query(`hearth_model_tokens_total{${real},type="input"}`),
      meter.promptTokens,
    );
    assert.equal(
      await query(`hearth_model_tokens_total{${real},type="output"}`),
      meter.outputTokens,
    );
    assert.equal(
      await query(`hearth_prompt_tokens_total{${real},source="evaluated"}`),
      meter.evaluatedPromptTokens,
    );
    assert.equal(
      await query(`hearth_prompt_tokens_total{${real},source="reused"}`),
      meter.promptTokens - meter.evaluatedPromptTokens,
    );
    assert.ok(
      meter.promptTokens - meter.evaluatedPromptTokens > 0,
      "some prompt tokens were reused",
    );
    assert.equal(
      await query(`hearth_model_tokens_total{${real},type="cached"}`),
      meter.promptTokens - meter.evaluatedPromptTokens,
    );
    // Latency histogram counts by status.
    assert.equal(
      await query(`hearth_model_call_duration_seconds_count{${real},status="ok"}`),
      meter.calls,
    );
    assert.equal(
      await query(`hearth_model_call_duration_seconds_count{${real},status="cached"}`),
      turnCalls,
    );
    assert.equal(
      await query(`hearth_model_call_duration_seconds_count{${real},status="error"}`),
      1,
    );
    assert.equal(
      await query(`hearth_model_call_duration_seconds_count{model="ScriptedChatModel"}`),
      scripted.calls.length,
    );
    // The response cache and the queue.
    assert.equal(
      await query(`hearth_response_cache_requests_total{${real},result="hit"}`),
      cache.hits,
    );
    assert.equal(
      await query(`hearth_response_cache_requests_total{${real},result="miss"}`),
      cache.misses,
    );
    assert.equal(await query(`hearth_rejected_requests_total{${real}}`), 1);
    assert.equal(await query(`hearth_queue_waiting_calls{${real}}`), 0);
    assert.equal(await query(`hearth_sequences{${real}}`), 1);
    assert.equal(await query(`hearth_queue_wait_seconds_count{${real}}`), meter.calls);
    const waited = (await query(`hearth_queue_wait_seconds_sum{${real}}`)) ?? 0;
    assert.ok(waited > 0, "the second concurrent call waited for the first");
    // Tool calls: two refused in round 1, one repaired valid call in round 2, and the real
    // model's calls, twice (the cached turn replays them), as its tool messages say.
    assert.equal(await query('hearth_tool_calls_total{tool="add",outcome="invalid"}'), 1);
    assert.equal(await query('hearth_tool_calls_total{tool="subtract",outcome="invalid"}'), 1);
    assert.equal(await query('hearth_tool_calls_total{tool="add",outcome="valid"}'), 1);
    assert.equal(await query('hearth_tool_calls_repaired_total{tool="add"}'), 1);
    const results = first.messages.filter(ToolMessage.isInstance);
    const succeeded = results.filter((m) => m.status !== "error").length;
    assert.ok(succeeded >= 1, "the forced first call ran");
    assert.equal(
      await query('hearth_tool_calls_total{tool="pick",outcome="valid"}'),
      succeeded * 2,
    );
    assert.equal(
      (await query('hearth_tool_calls_total{tool="pick",outcome!="valid"}')) ?? 0,
      (results.length - succeeded) * 2,
    );
    // The graph's own turn records.
    assert.equal(await query("hearth_graph_turns_total"), 3);
    assert.equal(await query('hearth_graph_turns_total{route="tools",validation="accepted"}'), 1);
    assert.equal(await query("hearth_graph_tool_rounds_sum"), 2 + first.toolRounds * 2);
    assert.equal(
      await query('hearth_graph_node_duration_seconds_count{node="tools"}'),
      2 + first.toolRounds * 2,
    );
    // Selection events by tier, backend and VRAM class.
    assert.equal(
      await query(
        `hearth_model_selections_total{tier="${cudaChoice.tier}",backend="cuda",vram_class="le12gib",offload="${cudaChoice.offload}"}`,
      ),
      2,
    );
    assert.equal(await query('hearth_model_selections_total{backend="none",vram_class="none"}'), 1);
    // Memory: resident now and at peak; GPU memory only where llama.cpp runs on a GPU.
    const rss = await query("process_resident_memory_bytes");
    const peak = await query("hearth_process_peak_resident_memory_bytes");
    assert.ok(rss !== undefined && rss > 50 * 1024 ** 2, `RSS ${rss}`);
    // Both are read during one scrape, a moment apart: the RSS may have grown in between.
    assert.ok(peak !== undefined && peak >= rss * 0.95, `peak ${peak} vs RSS ${rss}`);
    const llama = await getHearthLlama();
    const vram = await query("hearth_gpu_memory_total_bytes");
    if (llama.gpu === false) assert.equal(vram, undefined, "no GPU, no GPU series");
    else assert.equal(vram, (await llama.getVramState()).total);
  });
});
