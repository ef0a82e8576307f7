import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Client } from "@langchain/langgraph-sdk";
import { testModelPath } from "../helpers/test-models.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(
  root,
  "node_modules",
  "@langchain",
  "langgraph-cli",
  "dist",
  "cli",
  "cli.mjs",
);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function waitUntilUp(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the dev server exited early:\n${log()}`);
    const ok = await fetch(`${url}/ok`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the dev server did not answer /ok within 120 s:\n${log()}`);
}

describe("LangGraph dev server (langgraph.json → src/app/studio.ts)", () => {
  let server: ChildProcess;
  let client: Client;
  let output = "";

  before(async () => {
    const port = await freePort();
    server = spawn(
      process.execPath,
      [cli, "dev", "--port", String(port), "--host", "127.0.0.1", "--no-browser", "--no-reload"],
      {
        cwd: root,
        // Its own process group, so the server and the workers it spawns stop together.
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          HEARTH_MODEL: await testModelPath({ family: "qwen" }),
          HEARTH_CONTEXT: "4096",
          HEARTH_MAX_TOKENS: "32",
          LANGSMITH_TRACING: "false",
          // The dev server type-checks studio.ts to draw the state schema, in a worker it gives
          // 30 s by default; two test files at once on two busy cores can need more.
          LANGGRAPH_SCHEMA_RESOLVE_TIMEOUT_MS: "180000",
        },
      },
    );
    server.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    server.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const url = `http://127.0.0.1:${port}`;
    await waitUntilUp(url, server, () => output.slice(-4000));
    client = new Client({ apiUrl: url });
  });

  after(async () => {
    if (server?.pid !== undefined && server.exitCode === null) {
      const exited = once(server, "exit");
      process.kill(-server.pid, "SIGTERM");
      await exited;
    }
  });

  it("serves the hearth graph: thread, run, stream, state and the graph's picture", async () => {
    const [assistant] = await client.assistants.search({ graphId: "hearth" });
    assert.ok(assistant, "the graph from langgraph.json is registered");

    const thread = await client.threads.create();
    const result = (await client.runs.wait(thread.thread_id, "hearth", {
      input: { messages: [{ role: "user", content: "What is 2 + 2?" }] },
    })) as { messages: unknown[]; trace: Array<{ node: string }> };
    assert.equal(result.messages.length, 2);
    assert.equal(result.trace[0].node, "route");
    assert.equal(result.trace.at(-1)?.node, "respond");

    const updates: string[] = [];
    for await (const chunk of client.runs.stream(thread.thread_id, "hearth", {
      input: { messages: [{ role: "user", content: "And 3 + 3?" }] },
      streamMode: "updates",
    })) {
      if (chunk.event === "updates") updates.push(...Object.keys(chunk.data as object));
    }
    assert.equal(updates[0], "route");
    assert.equal(updates.at(-1), "respond");

    const state = await client.threads.getState(thread.thread_id);
    const values = state.values as {
      messages: unknown[];
      metrics: { modelCalls: number };
      routing: { source: string };
    };
    assert.equal(values.messages.length, 4, "the thread kept both turns");
    // Studio streams every run: the grammar-bound route decision must survive streaming.
    assert.equal(values.routing.source, "model");
    assert.ok(values.metrics.modelCalls >= 1);

    const graph = (await client.assistants.getGraph(assistant.assistant_id)) as {
      nodes: Array<{ id: string }>;
    };
    const ids = graph.nodes.map((n) => n.id);
    for (const node of ["route", "agent", "tools", "validate", "respond"])
      assert.ok(ids.includes(node));

    const schemas = await client.assistants.getSchemas(assistant.assistant_id);
    const properties = Object.keys(
      (schemas.state_schema as { properties?: Record<string, unknown> }).properties ?? {},
    );
    for (const key of ["messages", "routing", "toolRounds", "validation", "metrics", "trace"]) {
      assert.ok(properties.includes(key), `state schema shows ${key}`);
    }
  });
});
