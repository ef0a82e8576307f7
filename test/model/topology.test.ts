/**
 * Hearth scaled out, every part a separate process on loopback: two `hearth serve` model servers
 * (a generated tiny model each), PostgreSQL for threads, and two graph workers using the servers
 * as their model through `openai:` specs. A thread moves between workers; a model server dies
 * during a run. The model's words are noise (random weights), so the checks are on the thread:
 * which questions it holds, in what order, each answered.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type LineProcess, startLineProcess } from "../helpers/line-process.js";
import { postgresUnavailable, startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { testModelPath } from "../helpers/test-models.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = (script: string, ...args: string[]) =>
  startLineProcess(process.execPath, ["--import", "tsx", script, ...args], { cwd: root });

interface Result {
  id: number;
  ok: boolean;
  messages?: string[];
  error?: string;
}

/** A `hearth serve` process; resolves with its OpenAI base URL once it listens. */
async function startModelServer(model: string): Promise<{ process: LineProcess; url: string }> {
  const server = tsx(
    "src/cli.ts",
    "serve",
    "--model",
    model,
    "--port",
    "0",
    "--max-tokens",
    "24",
    "--model-id",
    "stub",
  );
  const line = await server.waitFor((l) => /OpenAI base URL\s+\S+/.test(l));
  return { process: server, url: /OpenAI base URL\s+(\S+)/.exec(line)![1] };
}

/**
 * The thread's turns: each starts with a question and must end with an answer (tool calls and
 * results may come between). Returns the questions in order.
 */
function questionsOf(messages: string[] | undefined): string[] {
  assert.ok(messages && messages.length > 0, "a thread");
  const questions: string[] = [];
  for (const [index, message] of messages.entries()) {
    if (!message.startsWith("human:")) continue;
    questions.push(message.slice("human:".length));
    const next = messages.findIndex((m, at) => at > index && m.startsWith("human:"));
    const answer = messages[(next < 0 ? messages.length : next) - 1];
    assert.ok(
      answer.startsWith("ai:"),
      `turn "${message}" ends with an answer: ${messages.join(" | ")}`,
    );
  }
  return questions;
}

let nextId = 0;
function submit(
  worker: LineProcess,
  job: Record<string, unknown>,
): { id: number; done: Promise<Result> } {
  nextId += 1;
  const id = nextId;
  worker.send(JSON.stringify({ id, ...job }));
  const done = worker
    .waitFor((line) => {
      const parsed = JSON.parse(line) as { id?: number; ok?: boolean };
      return parsed.id === id && parsed.ok !== undefined;
    })
    .then((line) => JSON.parse(line) as Result);
  return { id, done };
}

describe("topology: model servers, PostgreSQL and graph workers as separate processes", {
  skip: postgresUnavailable(),
}, () => {
  let postgres: TestPostgres;
  let serverA: { process: LineProcess; url: string };
  let serverB: { process: LineProcess; url: string };
  let workerA: LineProcess;
  let workerB: LineProcess;

  before(async () => {
    const model = await testModelPath({ family: "qwen" });
    [postgres, serverA, serverB] = await Promise.all([
      startPostgres(),
      startModelServer(model),
      startModelServer(model),
    ]);
    workerA = tsx("test/helpers/graph-worker.ts", postgres.url, `openai:stub@${serverA.url}`);
    workerB = tsx("test/helpers/graph-worker.ts", postgres.url, `openai:stub@${serverB.url}`);
    await Promise.all([
      workerA.waitFor((l) => l.includes('"ready"')),
      workerB.waitFor((l) => l.includes('"ready"')),
    ]);
  });

  after(async () => {
    await Promise.all(
      [workerA, workerB, serverA?.process, serverB?.process].map((p) => p?.stop("SIGKILL")),
    );
    await postgres?.stop();
  });

  it("a thread begun on worker A continues on worker B with its history", async () => {
    const first = await submit(workerA, { thread: "t", question: "Hello, my name is Ada." }).done;
    assert.ok(first.ok, first.error);
    const second = await submit(workerB, { thread: "t", question: "What is my name?" }).done;
    assert.ok(second.ok, second.error);
    // Worker B loaded worker A's turn from PostgreSQL, untouched, and answered after it.
    assert.deepEqual(second.messages?.slice(0, first.messages?.length), first.messages);
    assert.deepEqual(questionsOf(second.messages), ["Hello, my name is Ada.", "What is my name?"]);
  });

  it("a model server killed during a run: the run fails over to the other server when configured", async () => {
    const job = submit(workerA, {
      thread: "t",
      question: "third",
      model: `openai:stub@${serverA.url},${serverB.url}`,
      pause: true,
    });
    await workerA.waitFor((l) => l.includes(`"id":${job.id},"event":"model-start"`));
    await serverA.process.stop("SIGKILL");
    workerA.send(JSON.stringify({ id: job.id, continue: true }));
    const result = await job.done;
    assert.ok(result.ok, result.error);
    assert.deepEqual(questionsOf(result.messages), [
      "Hello, my name is Ada.",
      "What is my name?",
      "third",
    ]);
  });

  it("with no server left to try the run fails clearly, keeps the thread, and another worker resumes it", async () => {
    // Server A is dead now; worker A knows no other.
    const failed = await submit(workerA, { thread: "t", question: "fourth" }).done;
    assert.equal(failed.ok, false);
    assert.match(failed.error ?? "", /model server for "stub" could not answer/);
    assert.ok(failed.error?.includes(serverA.url), failed.error);

    // invoke(null) on worker B continues the unfinished run from its last checkpoint.
    const resumed = await submit(workerB, { thread: "t" }).done;
    assert.ok(resumed.ok, resumed.error);
    assert.deepEqual(questionsOf(resumed.messages), [
      "Hello, my name is Ada.",
      "What is my name?",
      "third",
      "fourth",
    ]);
  });

  it("two workers given the same thread at once take turns: no turn is lost", async () => {
    const [a, b] = await Promise.all([
      submit(workerB, { thread: "race", question: "from B" }).done,
      submit(workerA, { thread: "race", question: "from A", model: `openai:stub@${serverB.url}` })
        .done,
    ]);
    assert.ok(a.ok && b.ok, `${a.error} ${b.error}`);
    const longest = (a.messages?.length ?? 0) > (b.messages?.length ?? 0) ? a : b;
    assert.deepEqual(questionsOf(longest.messages).sort(), ["from A", "from B"]);
  });
});
