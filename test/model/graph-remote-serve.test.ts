/**
 * The agent graph on LangChain's ChatOpenAI against `hearth serve` over loopback HTTP, as it
 * would run against vLLM or llama-server: the guarantees must hold across the protocol. The model
 * is a generated one (random weights), so what is checked is the shape, never the words.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HumanMessage, isToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import { createAgentGraph, summarizeRun } from "../../src/graph/index.js";
import { type RunningServer, startServer } from "../../src/serve/index.js";
import { threadConfig } from "../helpers/graph-fixtures.js";
import { testModelPath } from "../helpers/test-models.js";

const calls: unknown[] = [];
const addTool = tool(
  async (args) => {
    calls.push(args);
    return String(args.a + args.b);
  },
  {
    name: "add",
    description: "Adds two whole numbers.",
    // Ranges of at most 64 integers are enforced by the server's grammar, not checked after.
    schema: z.object({ a: z.number().int().min(0).max(9), b: z.number().int().min(0).max(9) }),
  },
);

describe("the graph on ChatOpenAI against hearth serve", () => {
  let server: RunningServer;
  let model: ChatOpenAI;
  before(async () => {
    server = await startServer({
      model: await testModelPath({ family: "qwen" }),
      port: 0,
      modelId: "tiny",
    });
    model = new ChatOpenAI({
      model: "tiny",
      apiKey: "unused",
      maxTokens: 200,
      // Room for the route JSON (its reason is at most 80 characters). One call per forced
      // reply: a random model would otherwise fill an array of parallel
      // calls until max_tokens cuts it, and a cut reply carries no calls at all.
      modelKwargs: { parallel_tool_calls: false },
      configuration: { baseURL: `${server.url}/v1` },
    });
  });
  after(async () => {
    await server?.close();
  });

  it("the route decision comes back schema-valid through response_format json_schema", async () => {
    const graph = createAgentGraph({ model, tools: [addTool], validate: false });
    const state = await graph.invoke(
      { messages: [new HumanMessage("What is 2 + 3?")] },
      threadConfig("route"),
    );
    const summary = summarizeRun(state);
    // "model": parsed from the server's JSON, not the graph's fallback for an unreadable reply.
    assert.equal(summary.route?.source, "model", summary.route?.reason);
    assert.ok(summary.route?.route === "direct" || summary.route?.route === "tools");
  });

  it("a forced call through tool_choice is schema-valid and runs", async () => {
    const graph = createAgentGraph({
      model,
      tools: [addTool],
      routing: "tools",
      maxToolRounds: 1,
      validate: false,
    });
    const state = await graph.invoke(
      { messages: [new HumanMessage("Add two numbers.")] },
      threadConfig("forced"),
    );
    const results = state.messages.filter(isToolMessage);
    assert.ok(results.length >= 1, "the forced round produced a call");
    for (const result of results) {
      assert.doesNotMatch(String(result.content), /Invalid arguments|could not be read/);
    }
    assert.ok(calls.length >= 1, "the tool ran on the call's arguments");
    for (const args of calls) assert.ok(addTool.schema.safeParse(args).success);
  });
});
