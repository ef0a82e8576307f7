import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage } from "@langchain/core/messages";
import { createAgentGraph } from "../../src/graph/index.js";
import { callTools, ScriptedChatModel, stepScript } from "../../src/testing/index.js";
import { addTool, ask, countingLookup, pass, threadConfig } from "../helpers/graph-fixtures.js";

describe("agent graph limits", () => {
  it("runs 12 tool rounds (past LangGraph's default recursion limit of 25) and a failed verdict's retry", async () => {
    const { tool: counting, runs: counted } = countingLookup();
    const always = callTools({ name: "lookup", args: { key: "more" } });
    const model = new ScriptedChatModel(
      stepScript({
        route: [{ route: "tools", reason: "lookup" }],
        agent: [always],
        answer: [new AIMessage("done")],
        validate: [{ grounded: false, complete: false, critique: "say more" }],
      }),
    );
    const graph = createAgentGraph({ model, tools: [counting], maxToolRounds: 12 });
    const state = await graph.invoke(ask("Find everything"), threadConfig("twelve"));
    assert.equal(counted(), 12);
    assert.equal(state.toolRounds, 12);
    assert.equal(state.stopReason, "tool_round_cap");
    assert.equal(state.validation?.attempts, 2);
  });

  it("lets a caller's own recursionLimit win over the graph's default", async () => {
    const always = callTools({ name: "add", args: { a: 1, b: 1 } });
    const model = new ScriptedChatModel(
      stepScript({ route: [{ route: "tools", reason: "x" }], agent: [always], validate: [pass] }),
    );
    const graph = createAgentGraph({ model, tools: [addTool], maxToolRounds: 12 });
    await assert.rejects(
      graph.invoke(ask("1+1"), { ...threadConfig("own-limit"), recursionLimit: 5 }),
      /Recursion limit of 5 reached/,
    );
  });

  it("rejects every bad numeric option in one wording that states the range", () => {
    const model = new ScriptedChatModel(stepScript({}));
    const cases: Array<[Record<string, number>, RegExp]> = [
      [{ toolTimeoutMs: -1 }, /^toolTimeoutMs must be an integer from 1 to 2147483647 \(got -1\)$/],
      [{ toolTimeoutMs: Number.NaN }, /^toolTimeoutMs must be .* \(got NaN\)$/],
      [{ toolTimeoutMs: 0 }, /^toolTimeoutMs must be .* \(got 0\)$/],
      [{ toolTimeoutMs: 2 ** 31 }, /^toolTimeoutMs must be .* \(got 2147483648\)$/],
      [{ toolTimeoutMs: Number.POSITIVE_INFINITY }, /\(got Infinity\)$/],
      [{ maxToolRounds: 0 }, /^maxToolRounds must be an integer from 1 to 100 \(got 0\)$/],
      [{ maxToolRounds: 1.5 }, /^maxToolRounds must be .* \(got 1.5\)$/],
      [{ maxToolRounds: Number.NaN }, /^maxToolRounds must be .* \(got NaN\)$/],
      [{ maxToolRounds: 101 }, /^maxToolRounds must be .* \(got 101\)$/],
      [{ maxToolResultChars: 10 }, /^maxToolResultChars must be an integer ≥ 200 \(got 10\)$/],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => createAgentGraph({ model, tools: [addTool], ...options }),
        (error: Error) => error instanceof RangeError && message.test(error.message),
        JSON.stringify(options),
      );
    }
    // The same wording for a value of the wrong type, as JavaScript callers can pass one.
    assert.throws(
      () => createAgentGraph({ model, tools: [addTool], toolTimeoutMs: "5" as unknown as number }),
      /^RangeError: toolTimeoutMs must be an integer from 1 to 2147483647 \(got 5\)$/,
    );
  });
});
