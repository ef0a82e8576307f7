import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage, isToolMessage, type ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { createAgentGraph } from "../../src/graph/index.js";
import { callTools, ScriptedChatModel, stepScript } from "../../src/testing/index.js";
import { checkToolOutput, defineTool, ToolTimeoutError } from "../../src/tools/index.js";
import { ask, pass, threadConfig } from "../helpers/graph-fixtures.js";

/** One round calling `name`, then an answer; returns the final state and the model. */
async function oneRound(
  tools: Parameters<typeof createAgentGraph>[0]["tools"],
  name: string,
  extra: Partial<Parameters<typeof createAgentGraph>[0]> = {},
) {
  const model = new ScriptedChatModel(
    stepScript({
      route: [{ route: "tools", reason: "x" }],
      agent: [callTools({ name, args: {} }), new AIMessage("done")],
      validate: [pass],
    }),
  );
  const graph = createAgentGraph({ model, tools, ...extra });
  // What LangChain hands every callback handler when a tool ends: how an app sees whole results.
  const ended: ToolMessage[] = [];
  const state = await graph.invoke(ask("go"), {
    ...threadConfig(`results-${name}`),
    callbacks: [{ handleToolEnd: (output: ToolMessage) => void ended.push(output) }],
  });
  const results = state.messages.filter(isToolMessage) as ToolMessage[];
  return { state, model, result: results[0], ended };
}

const returning = (name: string, value: () => unknown) =>
  tool(async () => value() as string, {
    name,
    description: "Returns a fixed value.",
    schema: z.object({}),
  });

describe("tool results in the history", () => {
  it("cuts a 10 MB result for the history, tells the model its size and hands the whole to the app", async () => {
    const big = "x".repeat(10 * 1024 * 1024);
    const { model, result, state, ended } = await oneRound([returning("dump", () => big)], "dump");
    const content = String(result.content);
    assert.equal(result.status, "success");
    assert.ok(content.startsWith("x".repeat(8192)));
    assert.ok(content.length < 8192 + 400, `${content.length} chars`);
    assert.match(content, /\[Result cut: the first 8,192 of 10,485,760 characters are shown\./);
    // The whole result reaches the app through handleToolEnd; the thread never holds it.
    assert.equal(ended.length, 1);
    assert.equal(ended[0].content, big);
    assert.equal(result.artifact, undefined);
    assert.ok(JSON.stringify(state.messages).length < 100_000);
    assert.deepEqual(result.response_metadata.truncated, {
      originalChars: big.length,
      shownChars: 8192,
    });
    // What the model is sent on the next step is the cut result, not the 10 MB.
    const seen = model.callsOf("agent")[1].messages.find(isToolMessage)!;
    assert.equal(String(seen.content), content);
  });

  it("takes the cap from maxToolResultChars and keeps a content_and_artifact tool's own artifact", async () => {
    const hits = [{ id: 1 }, { id: 2 }];
    const search = defineTool({
      name: "search",
      description: "Searches.",
      schema: z.object({}),
      responseFormat: "content_and_artifact",
      func: async () => ["y".repeat(5000), hits],
    });
    const { result } = await oneRound([search], "search", { maxToolResultChars: 1000 });
    assert.match(String(result.content), /^y{1000}\n\n\[Result cut: the first 1,000 of 5,000/);
    assert.deepEqual(result.artifact, hits);
  });

  it("leaves a result within the cap untouched", async () => {
    const { result } = await oneRound([returning("small", () => "short")], "small");
    assert.equal(result.content, "short");
    assert.equal(result.artifact, undefined);
    assert.equal(result.response_metadata.truncated, undefined);
  });

  it("sends objects as JSON and reports undefined, circular, BigInt and Map results as tool errors", async () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: Array<[string, () => unknown, "success" | "error", RegExp]> = [
      ["object", () => ({ a: 1, b: [2, null] }), "success", /^\{"a":1,"b":\[2,null\]\}$/],
      ["nothing", () => null, "success", /^null$/],
      ["undef", () => undefined, "error", /returned undefined \(no result\)/],
      ["cycle", () => circular, "error", /returned a value JSON cannot hold \(.*circular/i],
      ["big", () => ({ n: 10n }), "error", /returned a value JSON cannot hold \(.*BigInt/],
      [
        "map",
        () => ({ m: new Map([["k", 1]]) }),
        "error",
        /returned a Map, which JSON would write/,
      ],
      ["fn", () => () => 1, "error", /returned a function, which is not data/],
    ];
    for (const [name, value, status, text] of cases) {
      const { result } = await oneRound([returning(name, value)], name);
      assert.equal(result.status, status, name);
      assert.match(String(result.content), text, name);
      if (status === "error") assert.match(String(result.content), /^Error: tool "/);
    }
  });

  it("checkToolOutput passes strings and content blocks through as they are", () => {
    assert.deepEqual(checkToolOutput("text"), { ok: true, content: "text" });
    const blocks = [{ type: "text", text: "hi" }];
    assert.deepEqual(checkToolOutput(blocks), { ok: true, content: blocks });
    assert.deepEqual(checkToolOutput([]), { ok: true, content: "[]" });
  });

  it("marks a synchronous tool that finishes past its time limit as a late error", async () => {
    const busy = tool(
      () => {
        const until = performance.now() + 300;
        while (performance.now() < until) {} // Holds the event loop: no timer can fire.
        return "computed";
      },
      { name: "busy", description: "Computes.", schema: z.object({}) },
    );
    const { result, ended } = await oneRound([busy], "busy", { toolTimeoutMs: 100 });
    assert.equal(result.status, "error");
    assert.match(
      String(result.content),
      /^Error: tool "busy" finished after \d+ ms, past its limit of 100 ms, so its result was discarded\./,
    );
    assert.equal(result.artifact, undefined);
    assert.equal(ended[0].content, "computed", "the app still sees the late result");
    const late = result.response_metadata.late as { timeoutMs: number; elapsedMs: number };
    assert.equal(late.timeoutMs, 100);
    assert.ok(late.elapsedMs >= 300);
  });

  it("defineTool's own timeoutMs reports a late synchronous result as a ToolTimeoutError", async () => {
    const busy = defineTool({
      name: "busy",
      description: "Computes.",
      schema: z.object({}),
      timeoutMs: 50,
      func: () => {
        const until = performance.now() + 150;
        while (performance.now() < until) {}
        return "computed";
      },
    });
    await assert.rejects(
      busy.invoke({}),
      (error: unknown) =>
        error instanceof ToolTimeoutError &&
        (error.lateMs ?? 0) >= 150 &&
        /finished after \d+ ms, past its limit of 50 ms; its result was discarded/.test(
          error.message,
        ),
    );
  });
});
