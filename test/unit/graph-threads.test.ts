import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import {
  closeCheckpointer,
  createAgentGraph,
  openCheckpointer,
  ThreadBusyError,
  ThreadStoreError,
} from "../../src/graph/index.js";
import { ScriptedChatModel } from "../../src/testing/fake-chat-models.js";
import { threadConfig } from "../helpers/graph-fixtures.js";
import { heldModel, lastQuestion, messageLines, slowModel } from "../helpers/thread-models.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);
const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

const lines = messageLines;

/** The thread as whole turns: every question followed by its own answer, in some order of turns. */
function assertWholeTurns(messages: string[], questions: string[]): void {
  assert.equal(
    messages.length,
    questions.length * 2,
    `every turn complete: ${messages.join(" | ")}`,
  );
  const asked: string[] = [];
  for (let i = 0; i < messages.length; i += 2) {
    const question = messages[i].replace(/^human:/, "");
    assert.ok(messages[i].startsWith("human:"), messages.join(" | "));
    assert.equal(messages[i + 1], `ai:answer to ${question}`, messages.join(" | "));
    asked.push(question);
  }
  assert.deepEqual([...asked].sort(), [...questions].sort());
}

async function storedThread(saver: BaseCheckpointSaver, thread: string): Promise<string[]> {
  const reader = createAgentGraph({ model: slowModel(0), checkpointer: saver });
  const state = await reader.getState(threadConfig(thread));
  return lines(state.values.messages ?? []);
}

describe("runs on one thread take turns", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hearth-threads-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("two concurrent invokes in one process: both questions and both answers, in order", async () => {
    const graph = createAgentGraph({ model: slowModel(80) });
    const [first, second] = await Promise.all([
      graph.invoke(ask("one"), threadConfig("t")),
      graph.invoke(ask("two"), threadConfig("t")),
    ]);
    assert.deepEqual(lines(first.messages), ["human:one", "ai:answer to one"]);
    assert.deepEqual(lines(second.messages), [
      "human:one",
      "ai:answer to one",
      "human:two",
      "ai:answer to two",
    ]);
    // A copy made with withConfig shares the same turns.
    const copy = graph.withConfig({ recursionLimit: 40 });
    await Promise.all([
      copy.invoke(ask("three"), threadConfig("t")),
      graph.invoke(ask("four"), threadConfig("t")),
    ]);
    const state = await graph.getState(threadConfig("t"));
    assert.equal(state.values.messages.length, 8, lines(state.values.messages).join(" | "));
    // Other threads are not held up by a busy one.
    const other = await graph.invoke(ask("five"), threadConfig("other"));
    assert.deepEqual(lines(other.messages), ["human:five", "ai:answer to five"]);
  });

  it("streamed runs take turns too, and a run waiting past threadWaitMs gets a clear error", async () => {
    const held = heldModel();
    const graph = createAgentGraph({ model: held.model, threadWaitMs: 50 });
    const first = graph.invoke(ask("one"), threadConfig("busy"));
    await held.called;
    await assert.rejects(
      async () => {
        for await (const _ of await graph.stream(ask("two"), threadConfig("busy"))) {
        }
      },
      (error: unknown) =>
        error instanceof ThreadBusyError &&
        /Thread "busy" is busy/.test(error.message) &&
        /threadWaitMs/.test(error.message),
    );
    held.release();
    await first;
    const state = await graph.getState(threadConfig("busy"));
    assert.deepEqual(lines(state.values.messages), ["human:one", "ai:answer to one"]);
    // The lock was handed back: the thread takes a new turn.
    const next = await graph.invoke(ask("three"), threadConfig("busy"));
    assert.equal(lines(next.messages).at(-1), "ai:answer to three");
  });

  it("a run that fails or is aborted hands the thread back", async () => {
    let fail = true;
    const model = new ScriptedChatModel(async (call) => {
      if (fail) throw new Error("model down");
      return new AIMessage(`answer to ${lastQuestion(call.messages)}`);
    });
    const graph = createAgentGraph({ model, threadWaitMs: 200 });
    await assert.rejects(graph.invoke(ask("one"), threadConfig("f")), /model down/);
    const controller = new AbortController();
    controller.abort(new Error("stopped by the caller"));
    await assert.rejects(
      graph.invoke(ask("x"), { ...threadConfig("f"), signal: controller.signal }),
      /stopped|abort/i,
    );
    fail = false;
    const state = await graph.invoke(ask("two"), threadConfig("f"));
    assert.equal(lines(state.messages).at(-1), "ai:answer to two");
  });

  it("rejects a threadWaitMs that is not a duration", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => createAgentGraph({ model: slowModel(0), threadWaitMs: bad }),
        /threadWaitMs/,
      );
    }
  });

  it("SQLite: two connections to one file take turns through the lock row", async () => {
    const file = path.join(dir, "shared.sqlite");
    const a = await openCheckpointer(file);
    const b = await openCheckpointer(file);
    try {
      const graphA = createAgentGraph({ model: slowModel(80), checkpointer: a });
      const graphB = createAgentGraph({ model: slowModel(80), checkpointer: b });
      await Promise.all([
        graphA.invoke(ask("from a"), threadConfig("shared")),
        graphB.invoke(ask("from b"), threadConfig("shared")),
      ]);
      assertWholeTurns(await storedThread(a, "shared"), ["from a", "from b"]);

      const holder = heldModel();
      const slow = createAgentGraph({ model: holder.model, checkpointer: a });
      const impatient = createAgentGraph({
        model: slowModel(0),
        checkpointer: b,
        threadWaitMs: 100,
      });
      const held = slow.invoke(ask("slow"), threadConfig("shared"));
      await holder.called;
      await assert.rejects(
        impatient.invoke(ask("refused"), threadConfig("shared")),
        (error: unknown) =>
          error instanceof ThreadBusyError && error.message.includes(`lock row in ${file}`),
      );
      holder.release();
      await held;
      assertWholeTurns(await storedThread(b, "shared"), ["from a", "from b", "slow"]);
    } finally {
      await closeCheckpointer(a);
      await closeCheckpointer(b);
    }
  });

  it("SQLite: a store another process keeps locked past 5 s is waited for, not an error", async () => {
    // better-sqlite3 alone gives up after 5 s ("database is locked"), which a loaded machine
    // outlasted with two `hearth ask --thread` processes starting together.
    const file = path.join(dir, "held.sqlite");
    const holder = execFile(process.execPath, [
      "-e",
      `const db = new (require("better-sqlite3"))(${JSON.stringify(file)});
       db.exec("CREATE TABLE t (x)"); db.exec("BEGIN EXCLUSIVE");
       console.log("locked");
       setTimeout(() => { db.exec("COMMIT"); db.close(); }, 5500);`,
    ]);
    await new Promise<void>((resolve, reject) => {
      holder.stdout?.once("data", () => resolve());
      holder.once("exit", (code) =>
        reject(new Error(`the holder exited (${code}) before locking`)),
      );
    });
    const began = Date.now();
    const saver = await openCheckpointer(file);
    try {
      assert.ok(Date.now() - began >= 4000, "the open waited for the holder's lock");
      const db = (saver as unknown as { db: { pragma(s: string, o: object): unknown } }).db;
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    } finally {
      await closeCheckpointer(saver);
    }
  });

  it("SQLite: a lock left by a crashed holder frees the thread when its lease runs out", async () => {
    const file = path.join(dir, "stale.sqlite");
    const saver = await openCheckpointer(file);
    try {
      const db = (
        saver as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): unknown } } }
      ).db;
      db.prepare("INSERT INTO hearth_thread_locks VALUES (?, ?, ?)").run(
        "s",
        "dead-1",
        Date.now() + 60_000,
      );
      const graph = createAgentGraph({
        model: slowModel(0),
        checkpointer: saver,
        threadWaitMs: 100,
      });
      await assert.rejects(graph.invoke(ask("q"), threadConfig("s")), ThreadBusyError);
      db.prepare("UPDATE hearth_thread_locks SET expires_at = ? WHERE thread_id = ?").run(
        Date.now() - 1,
        "s",
      );
      const state = await graph.invoke(ask("q"), threadConfig("s"));
      assert.deepEqual(lines(state.messages), ["human:q", "ai:answer to q"]);
    } finally {
      await closeCheckpointer(saver);
    }
  });
});

describe("a damaged thread store", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hearth-store-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const names = (file: string) => (error: unknown) =>
    error instanceof ThreadStoreError &&
    error.message.includes(file) &&
    /mv ".*" ".*\.broken"/.test(error.message) &&
    error.message.includes("HEARTH_THREADS_DB");

  it("a file that is not a database is named, with what to do", async () => {
    const file = path.join(dir, "garbage.sqlite");
    writeFileSync(file, "this is not a database, just text ".repeat(200));
    await assert.rejects(openCheckpointer(file), names(file));
  });

  it("a database with damaged pages is found by the check, not in the middle of a run", async () => {
    const file = path.join(dir, "damaged.sqlite");
    const saver = await openCheckpointer(file);
    const graph = createAgentGraph({ model: slowModel(0), checkpointer: saver });
    for (let i = 0; i < 20; i += 1)
      await graph.invoke(ask(`q${i} ${"x".repeat(500)}`), threadConfig("d"));
    await closeCheckpointer(saver);
    const bytes = readFileSync(file);
    assert.ok(statSync(file).size > 8192);
    // Overwrite everything after the first page (the header stays valid).
    bytes.fill(0xa5, 4096);
    writeFileSync(file, bytes);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    await assert.rejects(openCheckpointer(file), names(file));
  });

  it("a folder where the file should be is named", async () => {
    await assert.rejects(openCheckpointer(dir), names(dir));
  });

  it("hearth ask --thread checks the store before loading the model", async () => {
    const file = path.join(dir, "garbage.sqlite");
    const missingModel = path.join(dir, "no-such-model.gguf");
    const failure = await run(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", "ask", "hi", "--thread", "t", "--model", missingModel],
      { cwd: root, env: { ...process.env, HEARTH_THREADS_DB: file } },
    ).then(
      () => assert.fail("ask should fail"),
      (error: { code: number; stderr: string }) => error,
    );
    assert.notEqual(failure.code, 0);
    assert.ok(failure.stderr.includes(file), failure.stderr);
    assert.match(failure.stderr, /Move it aside/);
    assert.ok(!failure.stderr.includes(missingModel), "the model was never reached");
  });
});
