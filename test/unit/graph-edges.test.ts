import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage, isAIMessage, isToolMessage, type ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { createAgentGraph, summarizeRun } from "../../src/graph/index.js";
import { callTools, ScriptedChatModel, stepScript } from "../../src/testing/index.js";
import {
  addTool,
  ask,
  countingLookup,
  isStepNote,
  lookupTool,
  pass,
  shape,
  threadConfig,
} from "../helpers/graph-fixtures.js";

const nodes = (state: { trace: Array<{ node: string }> }) => state.trace.map((s) => s.node);

describe("agent graph edges (scripted model)", () => {
  it("answers directly when the route says direct: no tools, no validation", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "direct", reason: "small talk" }],
        answer: [new AIMessage("Hello!")],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(ask("hi"), threadConfig("direct"));
    assert.deepEqual(nodes(state), ["route", "respond"]);
    assert.equal(summarizeRun(state).answer, "Hello!");
    assert.equal(state.routing?.route, "direct");
    assert.equal(state.toolRounds, 0);
    assert.equal(state.validation, null);
    assert.equal(state.stopReason, "answered");
    assert.deepEqual(
      model.callsOf("answer").map((c) => c.toolChoice),
      ["none"],
    );
    assert.equal(model.callsOf("agent").length, 0);
  });

  it("runs one tool round, then validates and answers", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "arithmetic" }],
        agent: [callTools({ name: "add", args: { a: 2, b: 3 } }), new AIMessage("2 + 3 = 5")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool, lookupTool] });
    const state = await graph.invoke(ask("What is 2 + 3?"), threadConfig("one-round"));
    assert.deepEqual(nodes(state), ["route", "agent", "tools", "agent", "validate", "respond"]);
    const summary = summarizeRun(state);
    assert.equal(summary.answer, "2 + 3 = 5");
    assert.equal(summary.rounds, 1);
    assert.deepEqual(
      summary.toolCalls.map((c) => [c.name, c.args, c.status, c.result]),
      [["add", { a: 2, b: 3 }, "success", "5"]],
    );
    assert.deepEqual(summary.validation, { ...pass, attempts: 1, readable: true });
    // The route's decision is binding: the first agent call must call a tool, later ones may answer.
    assert.deepEqual(
      model.callsOf("agent").map((c) => c.toolChoice),
      ["required", "auto"],
    );
    assert.deepEqual(model.callsOf("agent")[0].toolNames, ["add", "lookup"]);
  });

  it("stops at three rounds and answers, even when the model keeps asking for tools", async () => {
    const { tool: counting, runs: counted } = countingLookup();
    const always = callTools({ name: "lookup", args: { key: "more" } });
    // The model ignores tool_choice "none" too: the cap must not depend on the model obeying.
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "lookup" }],
        agent: [always],
        answer: [always],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [counting] });
    const state = await graph.invoke(ask("Find everything"), threadConfig("cap"));
    assert.equal(counted(), 3);
    assert.equal(state.toolRounds, 3);
    assert.equal(state.stopReason, "tool_round_cap");
    assert.deepEqual(nodes(state), [
      "route",
      ...["agent", "tools", "agent", "tools", "agent", "tools"],
      "agent",
      "validate",
      "respond",
    ]);
    const capped = model.calls.filter((c) => c.toolChoice === "none");
    assert.equal(capped.length, 1);
    assert.match(String(capped[0].messages.at(-1)?.content), /used all 3 tool rounds/);
    const final = state.messages.at(-1)!;
    assert.ok(isAIMessage(final));
    assert.equal(final.tool_calls?.length ?? 0, 0);
    assert.match(String(final.content), /Stopped after 3 tool rounds/);
    // Every call in the history has its result: nothing dangling for the next turn.
    const answered = new Set(state.messages.filter(isToolMessage).map((m) => m.tool_call_id));
    for (const m of state.messages.filter(isAIMessage)) {
      for (const call of m.tool_calls ?? [])
        assert.ok(answered.has(call.id!), `call ${call.id} has no result`);
    }
  });

  it("honours a smaller maxToolRounds", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "add", args: { a: 1, b: 1 } })],
        answer: [new AIMessage("two")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool], maxToolRounds: 1 });
    const state = await graph.invoke(ask("1+1"), threadConfig("cap1"));
    assert.equal(state.toolRounds, 1);
    assert.equal(state.stopReason, "tool_round_cap");
    assert.match(summarizeRun(state).answer, /^two\n\n\(Stopped after 1 tool round:/);
  });

  it("runs the calls of one round in parallel", async () => {
    let started = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Each call waits until the other has started: run one after the other, they would time out.
    const gate = tool(
      async ({ key }) => {
        started += 1;
        if (started === 2) release();
        await bothStarted;
        return `done ${key}`;
      },
      { name: "gate", description: "Waits for its twin.", schema: z.object({ key: z.string() }) },
    );
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [
          callTools({ name: "gate", args: { key: "a" } }, { name: "gate", args: { key: "b" } }),
          new AIMessage("both done"),
        ],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [gate], toolTimeoutMs: 5_000 });
    const state = await graph.invoke(ask("run both"), threadConfig("parallel"));
    const results = summarizeRun(state).toolCalls;
    assert.deepEqual(
      results.map((r) => [r.status, r.result]),
      [
        ["success", "done a"],
        ["success", "done b"],
      ],
    );
    assert.equal(state.toolRounds, 1, "two calls in one message are one round");
  });

  it("feeds invalid arguments and unknown tools back to the model as error ToolMessages", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [
          callTools(
            { name: "add", args: { a: "one", b: 2 } },
            { name: "subtract", args: { a: 1 } },
          ),
          callTools({ name: "add", args: { a: 1, b: 2 } }),
          new AIMessage("3"),
        ],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(ask("1+2"), threadConfig("bad-args"));
    const [bad, unknown] = state.messages.filter(isToolMessage);
    assert.equal(bad.status, "error");
    // Checked against the compiled schema before the tool runs.
    assert.match(String(bad.content), /Invalid arguments for tool "add": a: .*expected number/);
    assert.equal(unknown.status, "error");
    assert.match(String(unknown.content), /Tool "subtract" not found/);
    // The model's next call sees both errors.
    const second = model.callsOf("agent")[1].messages;
    assert.deepEqual(
      second.filter((m): m is ToolMessage => isToolMessage(m)).map((m) => m.status),
      ["error", "error"],
    );
    assert.equal(summarizeRun(state).answer, "3");
    assert.equal(state.toolRounds, 2);
  });

  it("answers a call that did not parse with an error ToolMessage, keeping call and result paired", async () => {
    const unreadable = new AIMessage({
      content: "",
      invalid_tool_calls: [
        {
          type: "invalid_tool_call",
          id: "bad1",
          name: "add",
          args: '{"a": 1, "b"',
          error: "cut off",
        },
      ],
    });
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [unreadable, callTools({ name: "add", args: { a: 1, b: 2 } }), new AIMessage("3")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(ask("1+2"), threadConfig("unparsed"));
    const [first, second] = state.messages.filter(isToolMessage);
    assert.equal(first.tool_call_id, "bad1");
    assert.equal(first.status, "error");
    assert.match(String(first.content), /could not be read \(cut off\)/);
    assert.equal(second.status, "success");
    const proposal = state.messages.find((m) => isAIMessage(m) && m.tool_calls?.[0]?.id === "bad1");
    assert.ok(proposal, "the unreadable call is kept as a call, so its result has a partner");
    assert.equal(state.toolRounds, 2);
  });

  it("turns a throwing tool into an error ToolMessage and carries on", async () => {
    const broken = tool(
      async () => {
        throw new Error("disk on fire");
      },
      { name: "broken", description: "Always fails.", schema: z.object({}) },
    );
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "broken", args: {} }), new AIMessage("The tool failed.")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [broken] });
    const state = await graph.invoke(ask("try it"), threadConfig("throws"));
    const [result] = state.messages.filter(isToolMessage);
    assert.equal(result.status, "error");
    assert.match(String(result.content), /disk on fire/);
    assert.equal(summarizeRun(state).answer, "The tool failed.");
  });

  it("stops a tool that hangs past its timeout and aborts its signal", async () => {
    let signal: AbortSignal | undefined;
    const hangs = tool(
      async (_input, config) => {
        signal = config?.signal;
        return new Promise<string>(() => {});
      },
      { name: "hangs", description: "Never returns.", schema: z.object({}) },
    );
    const quick = tool(async () => "quick result", {
      name: "quick",
      description: "Returns at once.",
      schema: z.object({}),
    });
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [
          callTools({ name: "hangs", args: {} }, { name: "quick", args: {} }),
          new AIMessage("one tool timed out"),
        ],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [hangs, quick], toolTimeoutMs: 50 });
    const state = await graph.invoke(ask("go"), threadConfig("hangs"));
    const [hung, fine] = state.messages.filter(isToolMessage);
    assert.equal(hung.status, "error");
    assert.match(String(hung.content), /did not finish within 50 ms/);
    assert.equal(fine.status, "success");
    assert.equal(signal?.aborted, true);
    assert.equal(summarizeRun(state).answer, "one tool timed out");
  });

  it("retries once with the critique when validation fails, replacing the rejected draft", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [
          callTools({ name: "lookup", args: { key: "height" } }),
          new AIMessage("It is tall."),
          new AIMessage("It is 324 metres tall."),
        ],
        validate: [
          { grounded: false, complete: false, critique: "give the number from the lookup" },
          pass,
        ],
      }),
    );
    const graph = createAgentGraph({ model, tools: [lookupTool] });
    const state = await graph.invoke(ask("How tall?"), threadConfig("retry"));
    assert.deepEqual(nodes(state), [
      "route",
      "agent",
      "tools",
      "agent",
      "validate",
      "agent",
      "validate",
      "respond",
    ]);
    const retryCall = model.callsOf("agent")[2];
    assert.equal(retryCall.messages.at(-2)?.content, "It is tall.");
    assert.match(String(retryCall.messages.at(-1)?.content), /give the number from the lookup/);
    assert.equal(summarizeRun(state).answer, "It is 324 metres tall.");
    assert.ok(
      !state.messages.some((m) => m.content === "It is tall."),
      "rejected draft left the thread",
    );
    assert.deepEqual(state.validation, { ...pass, attempts: 2, readable: true });
  });

  it("retries only once: a second failed verdict is returned with the answer", async () => {
    const fail = { grounded: false, complete: true, critique: "unsupported claim" };
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "lookup", args: { key: "k" } }), new AIMessage("draft")],
        validate: [fail],
      }),
    );
    const graph = createAgentGraph({ model, tools: [lookupTool] });
    const state = await graph.invoke(ask("q"), threadConfig("retry-once"));
    assert.equal(model.callsOf("validate").length, 2);
    assert.equal(model.callsOf("agent").length, 3);
    assert.deepEqual(state.validation, { ...fail, attempts: 2, readable: true });
    assert.equal(state.stopReason, "answered");
  });

  it("skips validation when validate is false", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "add", args: { a: 1, b: 1 } }), new AIMessage("2")],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool], validate: false });
    const state = await graph.invoke(ask("1+1"), threadConfig("no-validate"));
    assert.deepEqual(nodes(state), ["route", "agent", "tools", "agent", "respond"]);
    assert.equal(state.validation, null);
  });

  it("falls back to letting the model choose when the route cannot be read", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [new AIMessage("I think tools")],
        agent: [new AIMessage("answered without tools")],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(ask("q"), threadConfig("fallback"));
    assert.equal(state.routing?.source, "fallback");
    assert.deepEqual(
      model.callsOf("agent").map((c) => c.toolChoice),
      ["auto"],
    );
    assert.equal(summarizeRun(state).answer, "answered without tools");
    assert.deepEqual(nodes(state), ["route", "agent", "respond"]);
  });

  it("makes no routing call when there are no tools", async () => {
    const model = new ScriptedChatModel(stepScript({ answer: [new AIMessage("plain answer")] }));
    const graph = createAgentGraph({ model });
    const state = await graph.invoke(ask("q"), threadConfig("no-tools"));
    assert.equal(state.routing?.source, "no-tools");
    assert.deepEqual(
      model.calls.map((c) => c.step),
      ["answer"],
    );
    assert.equal(summarizeRun(state).answer, "plain answer");
  });

  it('skips the routing call and forces the first tool round with routing "tools"', async () => {
    const model = new ScriptedChatModel(
      stepScript({
        agent: [callTools({ name: "lookup", args: { key: "doc" } }), new AIMessage("found it")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [lookupTool], routing: "tools" });
    const state = await graph.invoke(ask("search first"), threadConfig("always-tools"));
    assert.equal(state.routing?.source, "config");
    assert.equal(model.callsOf("route").length, 0);
    assert.deepEqual(
      model.callsOf("agent").map((c) => c.toolChoice),
      ["required", "auto"],
    );
    assert.equal(state.metrics.modelCalls, 3);
  });

  it("keeps one prompt prefix across route, agent and validate calls", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "add", args: { a: 1, b: 2 } }), new AIMessage("3")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool], systemPrompt: "SYSTEM" });
    const state = await graph.invoke(ask("1+2"), threadConfig("prefix"));
    const conversation = shape([model.calls[0].messages[0], ...state.messages]);
    assert.equal(model.calls.length, 4);
    for (const call of model.calls) {
      const withoutNote = call.messages.filter(
        (m, i) => !(i === call.messages.length - 1 && isStepNote(m)),
      );
      assert.equal(call.messages[0].content, "SYSTEM");
      assert.deepEqual(
        shape(withoutNote),
        conversation.slice(0, withoutNote.length),
        `${call.step} call`,
      );
      assert.ok(
        call.messages.slice(0, -1).every((m) => !isStepNote(m)),
        "step notes only at the end",
      );
    }
  });

  it("streams answer and tool-call messages, keeping the route and verdict JSON out", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "add", args: { a: 1, b: 2 } }), new AIMessage("3")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const nodesStreamed = new Set<string>();
    for await (const [, metadata] of await graph.stream(ask("1+2"), {
      ...threadConfig("stream"),
      streamMode: "messages",
    })) {
      nodesStreamed.add(String(metadata.langgraph_node));
    }
    assert.deepEqual([...nodesStreamed].sort(), ["agent", "tools"]);
    assert.equal(model.calls.length, 4);
  });

  it("sums token usage and model calls over the turn", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "add", args: { a: 1, b: 2 } }), new AIMessage("3")],
        validate: [pass],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(ask("1+2"), threadConfig("usage"));
    const expected = model.usageReported.reduce((a, b) => a + b, 0);
    assert.equal(state.metrics.usage.total_tokens, expected);
    assert.equal(state.metrics.modelCalls, model.calls.length);
    const { total, ...perNode } = state.metrics.timingsMs;
    const sum = Object.values(perNode).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - sum) < 1e-6);
  });

  it("gives a node-llama-cpp model thinking off, token caps and one tool set on every step", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "x" }],
        agent: [callTools({ name: "add", args: { a: 1, b: 2 } }), new AIMessage("3")],
        validate: [pass],
      }),
      { llmType: "node-llama-cpp", structured: "response-format" },
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(ask("1+2"), threadConfig("thinking"));
    assert.equal(summarizeRun(state).answer, "3");
    assert.deepEqual(
      model.calls.map((c) => [c.step, c.options.thinking, c.options.maxTokens, c.toolNames]),
      [
        ["route", "off", 160, ["add"]],
        ["agent", "off", undefined, ["add"]],
        ["agent", "off", undefined, ["add"]],
        ["validate", "off", 320, ["add"]],
      ],
    );
    assert.deepEqual(state.validation, { ...pass, attempts: 1, readable: true });
  });

  it("rejects options outside their limits with a message saying what to pass", () => {
    const model = new ScriptedChatModel(stepScript({}));
    assert.throws(() => createAgentGraph({ model, contextSize: 65_536 }), /maximum of 32768/);
    assert.throws(() => createAgentGraph({ model, maxToolRounds: 0 }), /from 1 to 100/);
    assert.throws(
      () => createAgentGraph({ model, tools: [addTool, addTool] }),
      /Two tools are named "add"/,
    );
  });
});
