import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HumanMessage, isAIMessage, isToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { Command } from "@langchain/langgraph";
import { z } from "zod";
import { type ApprovalRequest, createAgentGraph, summarizeRun } from "../../src/graph/index.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { threadConfig } from "../helpers/graph-fixtures.js";
import { testModelPath } from "../helpers/test-models.js";

// Random weights: the words are noise, so these tests assert what grammar and graph guarantee:
// calls that parse and validate, bounded rounds, readable decisions, a well-formed final state.
const pick = tool(async ({ key }) => `the value of ${key} is 42`, {
  name: "pick",
  description: "Reads one of the stored values.",
  schema: z.object({ key: z.enum(["alpha", "beta"]) }),
});

describe("agent graph on a generated GGUF (ChatNodeLlamaCpp)", () => {
  let model: ChatNodeLlamaCpp;
  before(async () => {
    model = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 4096,
      maxTokens: 48,
    });
  });
  after(() => model.dispose());

  it("forces a valid call, runs it, stays within the rounds and ends well formed", async () => {
    const graph = createAgentGraph({ model, tools: [pick], routing: "tools", contextSize: 4096 });
    const meterBefore = { ...model.tokenMeter };
    const state = await graph.invoke(
      { messages: [new HumanMessage("What is the value of alpha?")] },
      threadConfig("real-forced"),
    );
    const trace = state.trace;
    assert.equal(trace[0].node, "route");
    assert.equal(trace.at(-1)?.node, "respond");
    const first = trace.find((s) => s.node === "agent");
    assert.ok(first?.node === "agent" && first.mode === "first");
    assert.ok(first.toolCalls.length >= 1, "tool_choice required produced a call");
    for (const call of first.toolCalls) {
      assert.equal(call.name, "pick");
      assert.ok(
        ["alpha", "beta"].includes(String(call.args.key)),
        `grammar kept key in the enum: ${call.args.key}`,
      );
    }
    const firstResults = trace.find((s) => s.node === "tools");
    assert.ok(firstResults?.node === "tools");
    assert.ok(firstResults.results.every((r) => r.status === "success" && /is 42/.test(r.content)));

    assert.ok(state.toolRounds >= 1 && state.toolRounds <= 3);
    assert.equal(state.stopReason, state.toolRounds === 3 ? "tool_round_cap" : "answered");
    const answered = new Set(state.messages.filter(isToolMessage).map((m) => m.tool_call_id));
    for (const message of state.messages.filter(isAIMessage)) {
      for (const call of message.tool_calls ?? []) assert.ok(answered.has(call.id!));
    }
    const final = state.messages.at(-1)!;
    assert.ok(isAIMessage(final) && (final.tool_calls?.length ?? 0) === 0);
    assert.equal(
      state.validation?.readable,
      true,
      "the verdict is grammar-bound, so it always parses",
    );
    assert.ok(state.validation.attempts === 1 || state.validation.attempts === 2);

    const summary = summarizeRun(state);
    assert.equal(summary.modelCalls, model.tokenMeter.calls - meterBefore.calls);
    assert.equal(
      summary.usage.output_tokens,
      model.tokenMeter.outputTokens - meterBefore.outputTokens,
    );
    // Route, agent and validate share one prompt prefix: later calls evaluate only new tokens.
    const evaluated = model.tokenMeter.evaluatedPromptTokens - meterBefore.evaluatedPromptTokens;
    const prompted = model.tokenMeter.promptTokens - meterBefore.promptTokens;
    assert.ok(evaluated < prompted / 2, `evaluated ${evaluated} of ${prompted} prompt tokens`);
  });

  it("routes with a readable grammar-bound decision", async () => {
    const graph = createAgentGraph({ model, tools: [pick], contextSize: 4096, maxToolRounds: 1 });
    const state = await graph.invoke(
      { messages: [new HumanMessage("Hello there.")] },
      threadConfig("real-route"),
    );
    assert.equal(state.routing?.source, "model");
    assert.ok(state.routing.route === "direct" || state.routing.route === "tools");
    assert.ok(state.routing.reason.length <= 80);
    assert.ok(state.toolRounds <= 1);
    assert.ok(isAIMessage(state.messages.at(-1)!));
  });

  it("pauses a real model's forced call for approval and hands a rejection back to it", async () => {
    let runs = 0;
    const guarded = tool(
      async ({ key }) => {
        runs += 1;
        return `the value of ${key} is 42`;
      },
      {
        name: "pick",
        description: "Reads one of the stored values.",
        schema: z.object({ key: z.enum(["alpha", "beta"]) }),
        metadata: { needsApproval: true },
      },
    );
    const graph = createAgentGraph({
      model,
      tools: [guarded],
      routing: "tools",
      contextSize: 4096,
      maxToolRounds: 1,
      validate: false,
    });
    const config = threadConfig("real-approval");
    const paused = await graph.invoke(
      { messages: [new HumanMessage("What is the value of alpha?")] },
      config,
    );
    const request = (paused as { __interrupt__?: Array<{ value: ApprovalRequest }> })
      .__interrupt__?.[0]?.value;
    assert.ok(request && request.actionRequests.length >= 1, "the forced call waits for approval");
    for (const action of request.actionRequests) {
      assert.equal(action.name, "pick");
      assert.ok(["alpha", "beta"].includes(String(action.args.key)));
    }
    assert.equal(runs, 0);
    const decisions = request.actionRequests.map(() => ({
      type: "reject" as const,
      message: "not now",
    }));
    const state = await graph.invoke(new Command({ resume: { decisions } }), config);
    assert.equal(runs, 0);
    const results = state.messages.filter(isToolMessage);
    assert.equal(results.length, request.actionRequests.length);
    for (const result of results) {
      assert.equal(result.status, "error");
      assert.match(String(result.content), /rejected this call.*Reason: not now/);
    }
    // The model was called again with the rejections in its prompt, and answered.
    assert.ok(isAIMessage(state.messages.at(-1)!));
    assert.equal(state.trace.at(-1)?.node, "respond");
  });
});
