import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createAgentGraph, openCheckpointer } from "../../src/graph/index.js";
import { neverCalled, ScriptedChatModel } from "../../src/testing/index.js";
import { testModelPath } from "../helpers/test-models.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

/** Runs `hearth <args>` in a fresh process; resolves with its exit code and output. */
async function hearth(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", ...args],
      {
        cwd: root,
        env: { ...process.env, ...env },
        maxBuffer: 16 * 2 ** 20,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("hearth graph / ask / demo", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hearth-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("graph --mermaid prints every node and labelled edge", async () => {
    const { code, stdout } = await hearth(["graph", "--mermaid"]);
    assert.equal(code, 0);
    assert.match(stdout, /^%%\{init/);
    for (const edge of [
      "__start__ --> route",
      "route -. &nbsp;tools&nbsp; .-> agent",
      "route -. &nbsp;direct&nbsp; .-> respond",
      "agent -. &nbsp;call&nbsp; .-> tools",
      "tools --> agent",
      "agent -. &nbsp;draft&nbsp; .-> validate",
      "validate -. &nbsp;retry&nbsp; .-> agent",
      "validate -. &nbsp;accept&nbsp; .-> respond",
      "respond --> __end__",
    ]) {
      assert.ok(stdout.includes(edge), `missing: ${edge}`);
    }
  });

  it("ask --json on a generated model prints a parseable run summary, and --thread keeps the thread", async () => {
    const model = await testModelPath({ family: "qwen" });
    const threads = path.join(dir, "threads.sqlite");
    const args = ["--model", model, "--json", "--max-tokens", "32", "--docs", "examples/docs"];
    const env = { HEARTH_THREADS_DB: threads };
    const first = await hearth(["ask", "What is 17 * 23?", ...args, "--thread", "cli"], env);
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    for (const key of [
      "answer",
      "route",
      "toolCalls",
      "rounds",
      "validation",
      "usage",
      "timingsMs",
    ]) {
      assert.ok(key in summary, `--json has ${key}`);
    }
    assert.equal(typeof summary.answer, "string");
    assert.ok(summary.route.route === "direct" || summary.route.route === "tools");
    assert.ok(summary.rounds >= 0 && summary.rounds <= 3);
    assert.ok(summary.usage.input_tokens > 0);
    assert.equal(summary.thread, "cli");

    const second = await hearth(["ask", "And 2 + 2?", ...args, "--thread", "cli"], env);
    assert.equal(second.code, 0, second.stderr);
    const graph = createAgentGraph({
      model: new ScriptedChatModel(neverCalled("only the stored thread is read")),
      checkpointer: await openCheckpointer(threads),
    });
    const state = await graph.getState({ configurable: { thread_id: "cli" } });
    const humans = state.values.messages.filter(
      (m: { getType(): string }) => m.getType() === "human",
    );
    assert.equal(humans.length, 2, "both questions are in the stored thread");
  });

  it("ask offline with no model cached names the tier, the cache folder and --model", async () => {
    const empty = path.join(dir, "empty-models");
    const { code, stderr } = await hearth(["ask", "hello"], {
      HEARTH_OFFLINE: "1",
      HEARTH_MODELS_DIR: empty,
    });
    assert.equal(code, 1);
    assert.match(stderr, /tier/);
    assert.ok(stderr.includes(empty), stderr);
    assert.match(stderr, /--model <path>/);
  });

  it("demo: Hearth Micro greets directly, computes 17 * 23 with the calculator and answers 391, answers from the documents, reads the Tokyo clock", async () => {
    const { code, stdout, stderr } = await hearth(["demo"]);
    assert.equal(code, 0, stderr);
    const turns = stdout.split(/^Turn \d+: /m).slice(1);
    assert.equal(turns.length, 4, stdout);
    // A greeting is answered without tools (first: see the README on greetings late in a thread).
    assert.doesNotMatch(turns[0], /→ (calculator|current_time|search_documents) /, turns[0]);
    assert.match(turns[0], /answer: \S/, turns[0]);
    // Arithmetic: the model's own call, the tool's result, and an answer that states it.
    assert.match(turns[1], /calculator \{"expression":"17 ?\* ?23"\} → 391/, turns[1]);
    assert.match(turns[1], /answer: .*\b391\b/, turns[1]);
    // Documents: the search ran and the answer carries the passage's fact.
    assert.match(turns[2], /search_documents \{"query":/, turns[2]);
    assert.match(turns[2], /answer: .*three tool rounds/i, turns[2]);
    // Time: the right zone. (The clock in the answer changes with the minute the test runs, so
    // its digits are scored on fixed clocks by micro-semantic.test.ts instead.)
    assert.match(turns[3], /current_time \{"timezone":"Asia\/Tokyo"\}/, turns[3]);
    for (const node of ["route", "agent", "tools", "validate", "respond"]) {
      assert.match(stdout, new RegExp(`^\\s+${node}\\s`, "m"), `trace shows ${node}`);
    }
    assert.match(stdout, /Prompt tokens over \d+ model calls/);
  });
});
