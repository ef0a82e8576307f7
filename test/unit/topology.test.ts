/**
 * Hearth scaled out, every part a separate process on loopback: two model servers speaking the
 * OpenAI protocol, PostgreSQL for threads, and two graph workers using the servers as their
 * model. A thread moves between workers; a model server dies during a run.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type LineProcess, startLineProcess } from "../helpers/line-process.js";
import { postgresUnavailable, startPostgres, type TestPostgres } from "../helpers/postgres.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tsx = (script: string, ...args: string[]) =>
  startLineProcess(process.execPath, ["--import", "tsx", script, ...args], { cwd: root });

interface Result {
  id: number;
  ok: boolean;
  messages?: string[];
  error?: string;
}

/** A model server process; resolves with its OpenAI base URL once it listens. */
async function startModelServer(): Promise<{ process: LineProcess; url: string }> {
  const server = tsx("test/helpers/stub-server-main.ts");
  const line = await server.waitFor((l) => /OpenAI base URL\s+\S+/.test(l));
  return { process: server, url: /OpenAI base URL\s+(\S+)/.exec(line)![1] };
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
    [postgres, serverA, serverB] = await Promise.all([
      startPostgres(),
      startModelServer(),
      startModelServer(),
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
    assert.deepEqual(second.messages, [
      "human:Hello, my name is Ada.",
      "ai:answer to Hello, my name is Ada.",
      "human:What is my name?",
      // Server B answered from the history worker B loaded from PostgreSQL.
      "ai:Your name is Ada.",
    ]);
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
    assert.deepEqual(result.messages?.slice(-2), ["human:third", "ai:answer to third"]);
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
    assert.deepEqual(resumed.messages, [
      "human:Hello, my name is Ada.",
      "ai:answer to Hello, my name is Ada.",
      "human:What is my name?",
      "ai:Your name is Ada.",
      "human:third",
      "ai:answer to third",
      "human:fourth",
      "ai:answer to fourth",
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
    assert.equal(longest.messages?.length, 4, longest.messages?.join(" | "));
    for (const at of [0, 2]) {
      const question: string = longest.messages![at].replace(/^human:/, "");
      assert.equal(longest.messages![at + 1], `ai:answer to ${question}`);
    }
  });
});
