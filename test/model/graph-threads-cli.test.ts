import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BaseMessage } from "@langchain/core/messages";
import { closeCheckpointer, createAgentGraph, openCheckpointer } from "../../src/graph/index.js";
import { ScriptedChatModel } from "../../src/testing/fake-chat-models.js";
import { threadConfig } from "../helpers/graph-fixtures.js";
import { testModelPath } from "../helpers/test-models.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

async function storedThread(file: string, thread: string): Promise<string[]> {
  const saver = await openCheckpointer(file);
  try {
    const reader = createAgentGraph({
      model: new ScriptedChatModel(() => {
        throw new Error("the reader never calls its model");
      }),
      checkpointer: saver,
    });
    const state = await reader.getState(threadConfig(thread));
    return (state.values.messages ?? []).map((m: BaseMessage) => `${m.getType()}:${m.content}`);
  } finally {
    await closeCheckpointer(saver);
  }
}

describe("hearth ask processes sharing a thread", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hearth-threads-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("SQLite: two `hearth ask --thread t` processes at once keep both turns", async () => {
    const model = await testModelPath({ family: "qwen" });
    const threads = path.join(dir, "cli.sqlite");
    const askProcess = (question: string) =>
      run(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/cli.ts",
          "ask",
          question,
          "--model",
          model,
          "--json",
          "--max-tokens",
          "16",
          "--thread",
          "t",
        ],
        { cwd: root, env: { ...process.env, HEARTH_THREADS_DB: threads } },
      );
    const results = await Promise.all([
      askProcess("first question"),
      askProcess("second question"),
    ]);
    for (const result of results) assert.equal(typeof JSON.parse(result.stdout).answer, "string");
    const messages = await storedThread(threads, "t");
    const kinds = messages.map((m) => m.split(":")[0]);
    assert.deepEqual(kinds, ["human", "ai", "human", "ai"], messages.join(" | "));
    assert.deepEqual([messages[0], messages[2]].sort(), [
      "human:first question",
      "human:second question",
    ]);
  });
});
