import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { HumanMessage, isToolMessage, type ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import { openChatModel, parseRemoteModelSpec } from "../../src/app/open-chat-model.js";
import { createAgentGraph, summarizeRun } from "../../src/graph/index.js";
import { threadConfig } from "../helpers/graph-fixtures.js";
import {
  type ChatCompletionRequest,
  type StubReply,
  type StubServer,
  startStubServer,
} from "../helpers/openai-stub-server.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

const ran: Array<{ a: number; b: number }> = [];
const addTool = tool(
  async ({ a, b }) => {
    ran.push({ a, b });
    return String(a + b);
  },
  {
    name: "add",
    description: "Adds two whole numbers.",
    schema: z.object({ a: z.number().int(), b: z.number().int().max(1000) }),
  },
);

type Step = "route" | "validate" | "agent" | "answer";
const stepOf = (request: ChatCompletionRequest): Step =>
  request.response_format?.json_schema?.name === "route_decision"
    ? "route"
    : request.response_format?.json_schema?.name === "validation_verdict"
      ? "validate"
      : (request.tools?.length ?? 0) > 0 && request.tool_choice !== "none"
        ? "agent"
        : "answer";

/** Route "tools"; a forced call with an argument the schema forbids; a valid call; an answer. */
function script(): (request: ChatCompletionRequest) => StubReply {
  let agentCalls = 0;
  return (request) => {
    switch (stepOf(request)) {
      case "route":
        return { content: JSON.stringify({ route: "tools", reason: "arithmetic" }) };
      case "validate":
        return { content: JSON.stringify({ grounded: true, complete: true, critique: "" }) };
      case "agent":
        agentCalls += 1;
        if (agentCalls === 1) return { toolCalls: [{ name: "add", arguments: { a: 1, b: 5000 } }] };
        if (agentCalls === 2) return { toolCalls: [{ name: "add", arguments: { a: 1, b: 2 } }] };
        return { content: "1 + 2 = 3" };
      default:
        return { content: "1 + 2 = 3" };
    }
  };
}

describe("the graph on an OpenAI-compatible engine (ChatOpenAI over HTTP)", () => {
  let server: StubServer;
  before(async () => {
    server = await startStubServer(script());
  });
  after(async () => {
    await server?.close();
  });

  it("asks for json_schema on route/validate, forces calls with tool_choice, and checks every call before a tool runs", async () => {
    const model = new ChatOpenAI({
      model: "stub",
      apiKey: "test",
      configuration: { baseURL: server.baseURL },
    });
    const graph = createAgentGraph({ model, tools: [addTool] });
    const state = await graph.invoke(
      { messages: [new HumanMessage("What is 1 + 2?")] },
      threadConfig("remote"),
    );
    const summary = summarizeRun(state);
    assert.equal(summary.answer, "1 + 2 = 3");
    assert.equal(summary.route?.route, "tools");
    assert.equal(summary.route?.source, "model", "the route was read from the JSON reply");

    const route = server.requests.find((r) => stepOf(r) === "route");
    assert.equal(route?.response_format?.type, "json_schema");
    assert.equal(route?.response_format?.json_schema?.strict, true);
    const routeSchema = route?.response_format?.json_schema?.schema as {
      properties: { route: { enum: string[] } };
    };
    assert.deepEqual(routeSchema.properties.route.enum, ["direct", "tools"]);
    assert.equal(route?.tools, undefined, "the route is not a bound tool");

    const agents = server.requests.filter((r) => stepOf(r) === "agent");
    assert.equal(agents[0].tool_choice, "required", "the first call after a tools route is forced");
    assert.equal(agents[1].tool_choice, "auto");

    // b = 5000 breaks the schema's maximum: refused before the tool ran, and the model was told.
    assert.deepEqual(ran, [{ a: 1, b: 2 }]);
    const results = state.messages.filter(isToolMessage) as ToolMessage[];
    assert.equal(results[0].status, "error");
    assert.match(String(results[0].content), /b.*1000/);
    assert.equal(results[1].content, "3");
    const secondPrompt = agents[1].messages;
    assert.ok(
      secondPrompt.some((m) => m.role === "tool" && /1000/.test(String(m.content))),
      "the error went back to the model",
    );
    assert.equal(
      server.requests.filter((r) => stepOf(r) === "validate")[0]?.response_format?.type,
      "json_schema",
    );
  });

  it("openai:<model>@<base-url> opens ChatOpenAI against that server", async () => {
    const opened = await openChatModel({ model: `openai:stub-model@${server.baseURL}` });
    assert.ok(opened.chat instanceof ChatOpenAI);
    assert.equal(opened.source, `stub-model@${server.baseURL}`);
    const before = server.requests.length;
    const reply = await opened.chat.invoke("hello");
    assert.equal(reply.content, "1 + 2 = 3");
    assert.equal(server.requests[before].model, "stub-model");
  });

  it("reads model specs and rejects malformed ones with an example", () => {
    assert.deepEqual(parseRemoteModelSpec("openai:Qwen/Qwen3-8B@http://10.0.0.5:8000/v1"), {
      model: "Qwen/Qwen3-8B",
      baseURLs: ["http://10.0.0.5:8000/v1"],
    });
    assert.deepEqual(parseRemoteModelSpec("openai:org@team/model@https://h/v1,http://b:81/v1"), {
      model: "org@team/model",
      baseURLs: ["https://h/v1", "http://b:81/v1"],
    });
    assert.deepEqual(parseRemoteModelSpec("openai:gpt-4o-mini"), {
      model: "gpt-4o-mini",
      baseURLs: [],
    });
    assert.throws(() => parseRemoteModelSpec("openai:@http://h/v1"), /names no model.*e\.g\./);
    assert.throws(() => parseRemoteModelSpec("openai:m@ftp-host"), /must be an http\(s\) URL/);
    assert.throws(() => parseRemoteModelSpec("openai:m@http://h/v1,ftp://x"), /"ftp:\/\/x" is not/);
  });

  it("fails over to the next server when one is down, and names the servers when none answers", async () => {
    const gone = await startStubServer(() => ({ content: "never" }));
    const deadURL = gone.baseURL;
    await gone.close();
    const failing = await startStubServer(() => {
      throw new Error("engine crashed");
    });
    const dropping = await startStubServer(() => ({ drop: true }));
    try {
      const opened = await openChatModel({
        model: `openai:stub@${deadURL},${failing.baseURL},${server.baseURL}`,
      });
      const reply = await opened.chat.invoke("hello");
      assert.equal(reply.content, "1 + 2 = 3", "answered by the third server");
      assert.equal(failing.requests.length, 1, "the 500 moved the call on");

      // A structured call (a bound copy of the model) whose server drops the connection mid-request.
      const replicas = await openChatModel({
        model: `openai:stub@${dropping.baseURL},${server.baseURL}`,
      });
      const router = replicas.chat.withStructuredOutput(
        z.object({ route: z.enum(["direct", "tools"]), reason: z.string() }),
        { name: "route_decision", method: "jsonSchema" },
      );
      assert.deepEqual(await router.invoke("hello"), { route: "tools", reason: "arithmetic" });
      assert.equal(dropping.requests.length, 1);

      const alone = await openChatModel({ model: `openai:stub@${deadURL}` });
      await assert.rejects(alone.chat.invoke("hello"), (error: Error) => {
        assert.match(error.message, /The model server for "stub" could not answer/);
        assert.ok(error.message.includes(deadURL), error.message);
        assert.match(error.message, /ECONNREFUSED|Connection error/);
        assert.match(error.message, /openai:<model>@<url1>,<url2>/);
        return true;
      });
    } finally {
      await failing.close();
      await dropping.close();
    }
  });

  it("hearth eval --model openai:… measures the model behind the server", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "hearth-eval-remote-"));
    try {
      const before = server.requests.length;
      await run(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli.ts",
          "eval",
          "--model",
          `openai:stub@${server.baseURL}`,
          "--limit",
          "2",
          "--out",
          out,
        ],
        { cwd: root },
      );
      const report = JSON.parse(readFileSync(path.join(out, "report.json"), "utf8"));
      assert.equal(report.model.file, `stub@${server.baseURL}`);
      assert.equal(report.results.length, 2);
      assert.equal(report.summary.errors, 0, "no case failed to reach the model");
      assert.ok(server.requests.length >= before + 2, "every case went to the server");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("hearth ask --model openai:… runs the graph against the server", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
        "ask",
        "What is 1 + 2?",
        "--json",
        "--model",
        `openai:stub@${server.baseURL}`,
      ],
      { cwd: root },
    );
    const summary = JSON.parse(stdout);
    assert.equal(summary.model, `stub@${server.baseURL}`);
    assert.equal(typeof summary.answer, "string");
    assert.ok(["direct", "tools"].includes(summary.route.route));
  });
});
