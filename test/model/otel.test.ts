import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { HumanMessage, isAIMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { z } from "zod";
import { OpenTelemetryCallbackHandler } from "../../src/adapters/otel/index.js";
import { createAgentGraph } from "../../src/graph/index.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { callTools, ScriptedChatModel, stepScript } from "../../src/testing/index.js";
import { addTool, threadConfig } from "../helpers/graph-fixtures.js";
import { pickTool, repairingModel } from "../helpers/monitoring-fixtures.js";
import { testModelPath } from "../helpers/test-models.js";

const _pass = { grounded: true, complete: true, critique: "" };
const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

/** An SDK wired to in-memory exporters, as an application would wire a real one. */
function telemetry() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const handler = new OpenTelemetryCallbackHandler({
    tracer: tracerProvider.getTracer("test"),
    meter: meterProvider.getMeter("test"),
  });
  return {
    handler,
    spans: () => spans.getFinishedSpans(),
    async metric(name: string) {
      await reader.forceFlush();
      const batches = metricExporter.getMetrics();
      const last = batches.at(-1);
      const found = last?.scopeMetrics
        .flatMap((s) => s.metrics)
        .find((m) => m.descriptor.name === name);
      return found?.dataPoints ?? [];
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

const parentOf = (span: ReadableSpan, all: ReadableSpan[]) =>
  all.find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId);
const named = (all: ReadableSpan[], name: string) => all.filter((s) => s.name === name);
const histogramSum = (points: DataPoint<unknown>[], match: Record<string, unknown>) =>
  points
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + (p.value as Histogram).sum!, 0);
const histogramCount = (points: DataPoint<unknown>[], match: Record<string, unknown>) =>
  points
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + (p.value as Histogram).count, 0);

describe("OpenTelemetry callback handler (GenAI semantic conventions)", () => {
  it("nests agent → node → chat / execute_tool spans and counts invalid, repaired and valid tool calls", async () => {
    const otel = telemetry();
    const model = repairingModel();
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(ask("What is 2 + 3?"), {
      ...threadConfig("otel-1"),
      callbacks: [otel.handler],
    });
    const spans = otel.spans();

    const [agent] = named(spans, "invoke_agent hearth-agent");
    assert.ok(agent, `an invoke_agent span; got ${spans.map((s) => s.name).join(", ")}`);
    assert.equal(agent.parentSpanContext, undefined, "the agent span is the root");
    assert.equal(agent.attributes["gen_ai.operation.name"], "invoke_agent");
    assert.equal(agent.attributes["gen_ai.agent.name"], "hearth-agent");
    assert.equal(agent.attributes["gen_ai.conversation.id"], "otel-1");
    // The graph's own measurements of the turn.
    assert.equal(agent.attributes["hearth.graph.route"], "tools");
    assert.equal(agent.attributes["hearth.graph.tool_rounds"], 2);
    assert.equal(agent.attributes["hearth.graph.stop_reason"], "answered");
    assert.equal(agent.attributes["hearth.graph.validation"], "accepted");
    assert.equal(agent.attributes["hearth.graph.model_calls"], state.metrics.modelCalls);
    assert.equal(agent.attributes["gen_ai.usage.input_tokens"], state.metrics.usage.input_tokens);

    const nodeSpans = spans.filter((s) => s.name.startsWith("node "));
    assert.deepEqual(
      nodeSpans.map((s) => s.name),
      state.trace.map((step) => `node ${step.node}`),
      "one span per node run, in the order the graph traced them",
    );
    for (const node of nodeSpans) assert.equal(parentOf(node, spans), agent);

    const chats = spans.filter((s) => s.name.startsWith("chat "));
    assert.equal(chats.length, model.calls.length, "one chat span per model call");
    for (const chat of chats) {
      assert.equal(chat.name, "chat ScriptedChatModel");
      assert.equal(chat.kind, SpanKind.CLIENT);
      assert.equal(chat.attributes["gen_ai.operation.name"], "chat");
      assert.equal(chat.attributes["gen_ai.request.model"], "ScriptedChatModel");
      assert.equal(typeof chat.attributes["gen_ai.provider.name"], "string");
      assert.equal(chat.attributes["gen_ai.system"], chat.attributes["gen_ai.provider.name"]);
      const parent = parentOf(chat, spans)!;
      assert.ok(parent.name.startsWith("node "), `chat under a node span, not ${parent.name}`);
      assert.equal(parent.attributes["hearth.graph.node"], chat.attributes["hearth.graph.node"]);
    }
    // route, agent ×3, validate; the scripted model reports no finish reason for plain text.
    assert.deepEqual(
      chats.map((c) => c.attributes["gen_ai.response.finish_reasons"]),
      [["tool_calls"], ["tool_calls"], ["tool_calls"], undefined, ["tool_calls"]],
    );
    assert.deepEqual(
      chats.map((c) => c.attributes["gen_ai.usage.input_tokens"]),
      model.calls.map((call) => call.messages.reduce((n, m) => n + String(m.content).length, 0)),
    );

    // Only the valid call ran: one execute_tool span, under the second tools node.
    const tools = spans.filter((s) => s.name.startsWith("execute_tool"));
    assert.deepEqual(
      tools.map((s) => s.name),
      ["execute_tool add"],
    );
    const secondCall = state.messages.filter(isAIMessage)[1].tool_calls![0];
    assert.equal(tools[0].attributes["gen_ai.tool.call.id"], secondCall.id);
    assert.equal(tools[0].attributes["gen_ai.tool.name"], "add");
    assert.equal(tools[0].attributes["gen_ai.operation.name"], "execute_tool");
    assert.equal(tools[0].kind, SpanKind.INTERNAL);
    const toolNodes = named(spans, "node tools");
    assert.equal(parentOf(tools[0], spans), toolNodes[1]);
    assert.equal(tools[0].attributes["gen_ai.tool.call.arguments"], undefined, "content is opt-in");

    // The refused calls are events on the first tools node.
    const events = (span: ReadableSpan) =>
      span.events.map((e) => [
        e.attributes?.["gen_ai.tool.name"],
        e.attributes?.["hearth.tool.call.outcome"],
        e.attributes?.["hearth.tool.call.repaired"],
      ]);
    assert.deepEqual(events(toolNodes[0]), [
      ["add", "invalid", false],
      ["subtract", "invalid", false],
    ]);
    assert.deepEqual(events(toolNodes[1]), [["add", "valid", true]]);

    const toolCalls = await otel.metric("hearth.tool.calls");
    const count = (name: string, outcome: string) =>
      toolCalls
        .filter(
          (p) =>
            p.attributes["gen_ai.tool.name"] === name &&
            p.attributes["hearth.tool.call.outcome"] === outcome,
        )
        .reduce((n, p) => n + (p.value as number), 0);
    assert.equal(count("add", "invalid"), 1);
    assert.equal(count("subtract", "invalid"), 1);
    assert.equal(count("add", "valid"), 1);

    const duration = await otel.metric("gen_ai.client.operation.duration");
    assert.equal(histogramCount(duration, { "gen_ai.operation.name": "chat" }), model.calls.length);
    assert.equal(histogramCount(duration, { "gen_ai.operation.name": "execute_tool" }), 1);
    assert.equal(histogramCount(duration, { "gen_ai.operation.name": "invoke_agent" }), 1);
    const usage = await otel.metric("gen_ai.client.token.usage");
    assert.equal(
      histogramSum(usage, { "gen_ai.token.type": "input" }),
      state.metrics.usage.input_tokens,
    );
    assert.equal(
      histogramSum(usage, { "gen_ai.token.type": "output" }),
      state.metrics.usage.output_tokens,
    );
    await otel.shutdown();
  });

  it("marks a tool that throws as a failed call with an error span, and a failed model call too", async () => {
    const otel = telemetry();
    const broken = tool(
      async () => {
        throw new RangeError("the service is down");
      },
      { name: "weather", description: "Weather.", schema: z.object({ city: z.string() }) },
    );
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "weather" }],
        agent: [
          callTools({ name: "weather", args: { city: "Oslo" } }),
          () => {
            throw new Error("model crashed");
          },
        ],
      }),
    );
    const graph = createAgentGraph({ model, tools: [broken] });
    await assert.rejects(
      graph.invoke(ask("Weather in Oslo?"), {
        ...threadConfig("otel-2"),
        callbacks: [otel.handler],
      }),
      /model crashed/,
    );
    const spans = otel.spans();
    const [toolSpan] = named(spans, "execute_tool weather");
    assert.equal(toolSpan.status.code, SpanStatusCode.ERROR);
    assert.equal(toolSpan.attributes["error.type"], "RangeError");
    const [toolsNode] = named(spans, "node tools");
    assert.deepEqual(
      toolsNode.events.map((e) => e.attributes?.["hearth.tool.call.outcome"]),
      ["failed"],
    );
    const failedChat = spans.filter((s) => s.name.startsWith("chat ")).at(-1)!;
    assert.equal(failedChat.status.code, SpanStatusCode.ERROR);
    assert.equal(failedChat.attributes["error.type"], "_OTHER");
    const [agent] = named(spans, "invoke_agent hearth-agent");
    assert.equal(agent.status.code, SpanStatusCode.ERROR, "the error reaches the agent span");
    assert.equal(
      spans.every((s) => s.ended),
      true,
    );
    await otel.shutdown();
  });

  describe("on a generated GGUF (ChatNodeLlamaCpp)", () => {
    let model: ChatNodeLlamaCpp;
    let modelFile: string;
    before(async () => {
      modelFile = await testModelPath({ family: "qwen" });
      // Room for the shortest complete forced call (a smaller budget is refused).
      model = new ChatNodeLlamaCpp({ modelPath: modelFile, contextSize: 2048, maxTokens: 64 });
    });
    after(() => model.dispose());

    it("reports the model's real token usage, KV-cache reuse and finish reasons", async () => {
      const otel = telemetry();
      const graph = createAgentGraph({
        model,
        tools: [pickTool],
        routing: "tools",
        validate: false,
      });
      const state = await graph.invoke(ask("What is alpha?"), {
        ...threadConfig("otel-real"),
        callbacks: [otel.handler],
      });
      const spans = otel.spans();
      const chats = spans.filter((s) => s.name.startsWith("chat "));
      const replies = state.messages.filter(isAIMessage);
      assert.equal(chats.length, replies.length, "one chat span per model reply");
      const modelName = path.basename(modelFile, ".gguf");
      for (const [index, chat] of chats.entries()) {
        const usage = replies[index].usage_metadata!;
        assert.equal(chat.name, `chat ${modelName}`);
        assert.equal(chat.kind, SpanKind.INTERNAL, "in-process model");
        assert.equal(chat.attributes["gen_ai.provider.name"], "node-llama-cpp");
        assert.equal(chat.attributes["gen_ai.request.temperature"], 0);
        assert.equal(chat.attributes["gen_ai.request.max_tokens"], 64);
        assert.equal(chat.attributes["gen_ai.usage.input_tokens"], usage.input_tokens);
        assert.equal(chat.attributes["gen_ai.usage.output_tokens"], usage.output_tokens);
        assert.equal(
          chat.attributes["gen_ai.usage.cache_read.input_tokens"],
          usage.input_token_details?.cache_read,
        );
        assert.equal(
          chat.attributes["hearth.kv_cache.evaluated_prompt_tokens"],
          replies[index].response_metadata.evaluatedPromptTokens,
        );
        const reasons = chat.attributes["gen_ai.response.finish_reasons"] as string[];
        assert.ok(
          reasons.length === 1 && ["stop", "length", "tool_calls"].includes(reasons[0]),
          String(reasons),
        );
      }
      assert.ok(
        (chats[1].attributes["gen_ai.usage.cache_read.input_tokens"] as number) > 0,
        "the second call reuses the first call's prefix",
      );
      const usage = await otel.metric("gen_ai.client.token.usage");
      const match = { "gen_ai.request.model": modelName, "gen_ai.provider.name": "node-llama-cpp" };
      assert.equal(
        histogramSum(usage, { ...match, "gen_ai.token.type": "input" }),
        state.metrics.usage.input_tokens,
      );
      assert.equal(
        histogramSum(usage, { ...match, "gen_ai.token.type": "output" }),
        state.metrics.usage.output_tokens,
      );
      await otel.shutdown();
    });
  });
});
