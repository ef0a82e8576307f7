import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import {
  closeCheckpointer,
  createAgentGraph,
  openCheckpointer,
  ThreadBusyError,
  ThreadStoreError,
} from "../../src/graph/index.js";
import { ScriptedChatModel } from "../../src/testing/fake-chat-models.js";
import { threadConfig } from "../helpers/graph-fixtures.js";
import { startStubServer } from "../helpers/openai-stub-server.js";
import { postgresUnavailable, startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { heldModel, lastQuestion, messageLines } from "../helpers/thread-models.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);
const ask = (text: string) => ({ messages: [new HumanMessage(text)] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lines = messageLines;

/** Remembers a name said earlier in the thread, so continuing a thread is observable. */
function recallingModel(delayMs = 0): ScriptedChatModel {
  return new ScriptedChatModel(async (call) => {
    await sleep(delayMs);
    const said = call.messages.map((m) => String(m.content)).join("\n");
    const name = /my name is (\w+)/i.exec(said)?.[1];
    const question = lastQuestion(call.messages);
    return new AIMessage(
      /what is my name/i.test(question)
        ? name
          ? `Your name is ${name}.`
          : "I don't know."
        : `answer to ${question}`,
    );
  });
}

/** A graph worker in its own process (test/helpers/thread-worker.ts). */
async function worker(url: string, thread: string, question: string, startAt: number) {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "test/helpers/thread-worker.ts",
      url,
      thread,
      question,
      "200",
      String(startAt),
    ],
    { cwd: root },
  );
  return JSON.parse(stdout) as { ok: boolean; messages?: string[]; error?: string };
}

const skip = postgresUnavailable();

describe("threads in PostgreSQL", { skip }, () => {
  let server: TestPostgres;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  it("a thread written through one checkpointer continues through another (a restart)", async () => {
    const first = await openCheckpointer(server.url);
    try {
      const graph = createAgentGraph({ model: recallingModel(), checkpointer: first });
      await graph.invoke(ask("Hello, my name is Ada."), threadConfig("ada"));
    } finally {
      await closeCheckpointer(first);
    }
    const second = await openCheckpointer(server.url);
    try {
      const graph = createAgentGraph({ model: recallingModel(), checkpointer: second });
      const state = await graph.invoke(ask("What is my name?"), threadConfig("ada"));
      assert.deepEqual(lines(state.messages), [
        "human:Hello, my name is Ada.",
        "ai:answer to Hello, my name is Ada.",
        "human:What is my name?",
        "ai:Your name is Ada.",
      ]);
      const other = await graph.invoke(ask("What is my name?"), threadConfig("someone"));
      assert.equal(lines(other.messages).at(-1), "ai:I don't know.");
    } finally {
      await closeCheckpointer(second);
    }
  });

  it("two checkpointers on one database take turns through the advisory lock, or say it is busy", async () => {
    const a = await openCheckpointer(server.url);
    const b = await openCheckpointer(server.url);
    try {
      const graphA = createAgentGraph({ model: recallingModel(80), checkpointer: a });
      const graphB = createAgentGraph({ model: recallingModel(80), checkpointer: b });
      await Promise.all([
        graphA.invoke(ask("from a"), threadConfig("shared")),
        graphB.invoke(ask("from b"), threadConfig("shared")),
      ]);
      const state = await graphA.getState(threadConfig("shared"));
      const messages = lines(state.values.messages);
      assert.equal(messages.length, 4, messages.join(" | "));
      assert.equal(messages[1], `ai:answer to ${messages[0].slice("human:".length)}`);
      assert.equal(messages[3], `ai:answer to ${messages[2].slice("human:".length)}`);

      const holder = heldModel();
      const slow = createAgentGraph({ model: holder.model, checkpointer: a });
      const impatient = createAgentGraph({
        model: recallingModel(),
        checkpointer: b,
        threadWaitMs: 100,
      });
      const held = slow.invoke(ask("slow"), threadConfig("shared"));
      await holder.called;
      await assert.rejects(
        impatient.invoke(ask("refused"), threadConfig("shared")),
        (error: unknown) =>
          error instanceof ThreadBusyError && /PostgreSQL advisory lock/.test(error.message),
      );
      holder.release();
      await held;
      const after = await graphB.getState(threadConfig("shared"));
      assert.equal(after.values.messages.length, 6);
      assert.ok(!lines(after.values.messages).includes("human:refused"));
    } finally {
      await closeCheckpointer(a);
      await closeCheckpointer(b);
    }
  });

  it("two worker processes on one thread never lose a turn", async () => {
    const url = await server.createDatabase("workers");
    const startAt = Date.now() + 8_000;
    const results = await Promise.all([
      worker(url, "w", "from process one", startAt),
      worker(url, "w", "from process two", startAt),
    ]);
    for (const result of results) assert.ok(result.ok, result.error);
    const saver = await openCheckpointer(url);
    try {
      const graph = createAgentGraph({ model: recallingModel(), checkpointer: saver });
      const messages = lines((await graph.getState(threadConfig("w"))).values.messages);
      assert.equal(messages.length, 4, messages.join(" | "));
      for (const at of [0, 2]) {
        assert.match(messages[at], /^human:from process (one|two)$/);
        assert.equal(messages[at + 1], `ai:answer to ${messages[at].slice("human:".length)}`);
      }
      assert.notEqual(messages[0], messages[2]);
    } finally {
      await closeCheckpointer(saver);
    }
  });

  it("hearth ask --thread keeps the thread in PostgreSQL when HEARTH_THREADS_DB is a postgres:// URL", async () => {
    const url = await server.createDatabase("cli");
    const stub = await startStubServer((request) => {
      const schema = request.response_format?.json_schema?.name;
      if (schema === "route_decision") return { content: '{"route":"direct","reason":"chat"}' };
      const asked = request.messages.filter(
        (m) => m.role === "user" && !String(m.content).startsWith("[step:"),
      );
      return { content: `seen ${asked.length} questions` };
    });
    try {
      const askCli = (question: string) =>
        run(
          process.execPath,
          [
            "--import",
            "tsx",
            "src/cli.ts",
            "ask",
            question,
            "--thread",
            "p",
            "--json",
            "--model",
            `openai:stub@${stub.baseURL}`,
          ],
          { cwd: root, env: { ...process.env, HEARTH_THREADS_DB: url } },
        );
      const first = JSON.parse((await askCli("first")).stdout);
      assert.equal(first.answer, "seen 1 questions");
      const second = JSON.parse((await askCli("second")).stdout);
      // The answer step saw both questions: the second process loaded the first one's turn.
      assert.equal(second.answer, "seen 2 questions");
      const saver = await openCheckpointer(url);
      try {
        const graph = createAgentGraph({ model: recallingModel(), checkpointer: saver });
        const messages = lines((await graph.getState(threadConfig("p"))).values.messages);
        assert.deepEqual(
          messages.filter((m) => m.startsWith("human:")),
          ["human:first", "human:second"],
        );
        assert.equal(messages.length, 4);
      } finally {
        await closeCheckpointer(saver);
      }
    } finally {
      await stub.close();
    }
  });

  it("an unreachable server fails when the store is opened, naming it without the password", async () => {
    const url = `postgres://hearth:secret@127.0.0.1:${server.port + 1}/nowhere`;
    await assert.rejects(
      openCheckpointer(url),
      (error: unknown) =>
        error instanceof ThreadStoreError &&
        error.message.includes("127.0.0.1") &&
        !error.message.includes("secret") &&
        /Check that PostgreSQL is running/.test(error.message),
    );
  });
});

if (skip) console.log(`# PostgreSQL tests skipped: ${skip}`);
