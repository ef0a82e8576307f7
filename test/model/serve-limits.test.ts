import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import OpenAI from "openai";
import type { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { isLoopbackHost, type RunningServer, startServer } from "../../src/serve/index.js";
import { type ServedTestModel, serveTestModel } from "../helpers/serve-fixture.js";
import { testModelPath } from "../helpers/test-models.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface ErrorReply {
  status: number;
  headers: Headers;
  error: { message: string; type: string; param: string | null; code: string | null };
}

async function postRaw(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
  return response;
}

/** Every error, whatever its cause, is OpenAI's `{ error: { message, type, param, code } }`. */
async function errorOf(response: Response): Promise<ErrorReply> {
  const body = (await response.json()) as { error: ErrorReply["error"] };
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.deepEqual(Object.keys(body.error).sort(), ["code", "message", "param", "type"]);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 10);
  return { status: response.status, headers: response.headers, error: body.error };
}

async function waitFor(check: () => Promise<boolean>, deadlineMs: number, what: string) {
  const until = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("hearth serve: errors, auth, limits, queue and cancellation", () => {
  let served: ServedTestModel;
  let chat: ChatNodeLlamaCpp;
  let server: RunningServer;
  let model: string;
  const ok = () => ({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 4 });

  before(async () => {
    // One sequence and a queue of one: the third concurrent request is refused.
    served = await serveTestModel(
      { contextSize: 8192, sequences: 1, maxQueue: 1 },
      { maxBodyBytes: 32 * 1024 },
    );
    ({ chat, server } = served);
    model = server.modelId;
  });
  after(() => served.close());

  it("bad requests get 400 with the offending param, in OpenAI's shape", async () => {
    const cases: Array<[string, unknown, string | null, RegExp]> = [
      ["{not json", undefined, null, /not valid JSON/],
      ["", undefined, null, /empty/],
      ["[1,2]", undefined, null, /JSON object/],
      [JSON.stringify({ model }), undefined, "messages", /Missing required parameter/],
      [JSON.stringify({ model, messages: [] }), undefined, "messages", /at least one/],
      [
        JSON.stringify({ model, messages: [{ role: "wizard", content: "x" }] }),
        undefined,
        "messages[0].role",
        /role must be one of/,
      ],
      [JSON.stringify({ ...ok(), tool_choice: "sometimes" }), undefined, "tool_choice", /auto/],
      [JSON.stringify({ ...ok(), temperature: 7 }), undefined, "temperature", /temperature/],
      [JSON.stringify({ ...ok(), n: 3 }), undefined, "n", /one choice/],
      [JSON.stringify({ ...ok(), frobnicate: true }), undefined, "frobnicate", /Unrecognized/],
      [
        JSON.stringify({ ...ok(), response_format: { type: "xml" } }),
        undefined,
        "response_format.type",
        /json_schema/,
      ],
      [
        JSON.stringify({
          model,
          messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }],
        }),
        undefined,
        "messages[0].content[0].type",
        /text only/,
      ],
      [
        JSON.stringify({ ...ok(), tool_choice: { type: "function", function: { name: "nope" } } }),
        undefined,
        "tool_choice",
        /no tools/,
      ],
      [
        JSON.stringify({
          ...ok(),
          tools: [
            {
              type: "function",
              function: {
                name: "f",
                parameters: { type: "object", properties: { a: { not: { type: "string" } } } },
              },
            },
          ],
        }),
        undefined,
        "tools",
        /not/,
      ],
      [
        JSON.stringify({
          model,
          messages: [
            { role: "user", content: "x" },
            { role: "tool", tool_call_id: "call_9", content: "r" },
          ],
        }),
        undefined,
        "messages[1].tool_call_id",
        /no earlier assistant message/,
      ],
      [
        JSON.stringify({
          model,
          messages: [
            {
              role: "assistant",
              content: null,
              tool_calls: [
                { id: "c1", type: "function", function: { name: "f", arguments: "{oops" } },
              ],
            },
          ],
        }),
        undefined,
        "messages[0].tool_calls[0].function.arguments",
        /JSON object/,
      ],
    ];
    for (const [body, , param, message] of cases) {
      const reply = await errorOf(await postRaw(server.url, body));
      assert.equal(reply.status, 400, body);
      assert.equal(reply.error.type, "invalid_request_error", body);
      assert.equal(reply.error.param, param, body);
      assert.match(reply.error.message, message, body);
    }
  });

  it("the openai client sees typed errors: unknown model 404, body over the limit 413", async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    await assert.rejects(
      client.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.NotFoundError);
        assert.equal(error.code, "model_not_found");
        assert.equal(error.param, "model");
        return true;
      },
    );
    await assert.rejects(
      client.chat.completions.create({
        model,
        messages: [{ role: "user", content: "x".repeat(40_000) }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError);
        assert.equal(error.status, 413);
        assert.equal(error.code, "request_too_large");
        return true;
      },
    );
    // The server is unharmed: the next request on a fresh connection works.
    const reply = await client.chat.completions.create({
      ...ok(),
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(reply.object, "chat.completion");
  });

  it("a prompt longer than the context is a 400 context_length_exceeded, not a silent cut", async () => {
    const long = Array.from({ length: 3000 }, (_, index) => `w${index}`).join(" ");
    const reply = await errorOf(
      await postRaw(
        server.url,
        JSON.stringify({ ...ok(), messages: [{ role: "user", content: long }] }),
      ),
    );
    assert.equal(reply.status, 400);
    assert.equal(reply.error.code, "context_length_exceeded");
    assert.equal(reply.error.param, "messages");
    assert.match(reply.error.message, /context holds 8192 tokens/);
  });

  it("unknown paths and methods answer 404 and 405 in the same shape", async () => {
    const missing = await errorOf(await fetch(`${server.url}/v1/completions`));
    assert.equal(missing.status, 404);
    const wrongMethod = await errorOf(await fetch(`${server.url}/v1/chat/completions`));
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "POST");
  });

  it("a full queue answers 429 with Retry-After; a cancelled stream frees its sequence", async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    // A: a long greedy stream holding the only sequence.
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "Write forever" }],
      max_tokens: 8000,
      temperature: 0,
      stream: true,
    });
    const iterator = stream[Symbol.asyncIterator]();
    let received = 0;
    while (received < 3) {
      const next = await iterator.next();
      assert.equal(next.done, false, "the long stream ended early");
      if (next.value.choices[0]?.delta.content) received++;
    }
    // B waits in the queue (its one place); C finds the queue full.
    const queued = client.chat.completions.create(ok() as never);
    await waitFor(
      async () =>
        ((await (await fetch(`${server.url}/health`)).json()) as { waiting: number }).waiting === 1,
      10_000,
      "B to queue",
    );
    const rejected = await errorOf(await postRaw(server.url, JSON.stringify(ok())));
    assert.equal(rejected.status, 429);
    assert.equal(rejected.error.code, "rate_limit_exceeded");
    assert.ok(Number(rejected.headers.get("retry-after")) >= 1);

    // Cancel A mid-stream: generation stops, B gets the sequence and completes. Had A run on,
    // B would wait for its 8000 tokens (about a minute here) and the meter would count them.
    const meterBefore = chat.tokenMeter.outputTokens;
    stream.controller.abort();
    const b = await Promise.race([
      queued,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error("B still waits 20 s after A was cancelled")),
          20_000,
        ).unref(),
      ),
    ]);
    assert.equal(b.object, "chat.completion");
    assert.equal(chat.tokenMeter.outputTokens - meterBefore, b.usage!.completion_tokens);
    await waitFor(
      async () => {
        const health = (await (await fetch(`${server.url}/health`)).json()) as {
          busy: number;
          waiting: number;
        };
        return health.busy === 0 && health.waiting === 0;
      },
      10_000,
      "the sequence to be free",
    );
    // A new streamed request succeeds on the freed sequence.
    let text = "";
    const again = await client.chat.completions.create({
      model,
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 4,
      stream: true,
    });
    for await (const chunk of again) text += chunk.choices[0]?.delta.content ?? "";
    assert.ok(text.length > 0);
  });

  it("an aborted non-streamed request and close() both stop generation and free the sequence", async () => {
    const { pool } = await chat.ensureLoaded();
    const long = {
      model,
      messages: [{ role: "user" as const, content: "Write forever" }],
      max_tokens: 8000,
      temperature: 0,
    };
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const controller = new AbortController();
    const pending = client.chat.completions.create(long, { signal: controller.signal });
    await waitFor(async () => pool.busyCount === 1, 10_000, "the request to start");
    controller.abort();
    await assert.rejects(pending, OpenAI.APIUserAbortError);
    await waitFor(async () => pool.busyCount === 0, 10_000, "the aborted request's sequence");

    const second = await startServer({ model: chat, port: 0 });
    const streaming = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const stream = await streaming.chat.completions.create({ ...long, stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await second.close();
    await assert.rejects(async () => {
      while (!(await iterator.next()).done) {}
    });
    await waitFor(async () => pool.busyCount === 0, 10_000, "close() to free the sequence");
    await assert.rejects(fetch(`${second.url}/health`));
  });

  it("with an API key every endpoint but /health needs the Bearer token", async () => {
    const keyed = await startServer({ model: chat, port: 0, apiKey: "s3cret-key" });
    try {
      const none = await errorOf(await fetch(`${keyed.url}/v1/models`));
      assert.equal(none.status, 401);
      assert.equal(none.error.code, "missing_api_key");
      assert.equal(none.headers.get("www-authenticate"), "Bearer");
      const wrong = await errorOf(
        await postRaw(keyed.url, JSON.stringify(ok()), { Authorization: "Bearer nope" }),
      );
      assert.equal(wrong.status, 401);
      assert.equal(wrong.error.code, "invalid_api_key");
      assert.equal((await fetch(`${keyed.url}/health`)).status, 200);
      const client = new OpenAI({
        baseURL: `${keyed.url}/v1`,
        apiKey: "s3cret-key",
        maxRetries: 0,
      });
      assert.equal((await client.models.list()).data[0].id, model);
      const reply = await client.chat.completions.create(ok() as never);
      assert.equal(reply.object, "chat.completion");
      const intruder = new OpenAI({ baseURL: `${keyed.url}/v1`, apiKey: "guess", maxRetries: 0 });
      await assert.rejects(intruder.models.list(), OpenAI.AuthenticationError);
    } finally {
      await keyed.close();
    }
  });

  it("refuses to bind beyond loopback without a key", async () => {
    assert.ok(isLoopbackHost("127.0.0.1") && isLoopbackHost("::1") && isLoopbackHost("localhost"));
    assert.ok(
      !isLoopbackHost("0.0.0.0") && !isLoopbackHost("192.168.1.4") && !isLoopbackHost("::"),
    );
    await assert.rejects(
      startServer({ model: chat, host: "0.0.0.0", port: 0 }),
      /without an API key/,
    );
    // The CLI refuses before it loads any model.
    const cli = promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
        "serve",
        "--host",
        "0.0.0.0",
        "--model",
        "/nonexistent.gguf",
      ],
      { cwd: repoRoot },
    );
    await assert.rejects(cli, (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /Refusing to listen on 0\.0\.0\.0 without an API key/);
      return true;
    });
  });

  it("the CLI serves until SIGINT, with the key from --api-key-env", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
        "serve",
        "--model",
        await testModelPath({ family: "qwen" }),
        "--port",
        "0",
        "--sequences",
        "2",
        "--context",
        "1024",
        "--api-key-env",
        "HEARTH_TEST_KEY",
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, HEARTH_TEST_KEY: "k-123" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      let stdout = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 60_000);
        child.stdout.on("data", (data: Buffer) => {
          stdout += data.toString();
          const match = /OpenAI base URL\s+(http:\/\/\S+)\/v1/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once("exit", () => reject(new Error(`exited early: ${stdout}`)));
      });
      assert.match(stdout, /2 sequence\(s\), 32 may wait/);
      assert.equal((await fetch(`${url}/v1/models`)).status, 401);
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "k-123", maxRetries: 0 });
      const health = await (await fetch(`${url}/health`)).json();
      assert.equal(health.sequences, 2);
      const [entry] = (await client.models.list()).data;
      const reply = await client.chat.completions.create({
        model: entry.id,
        messages: [{ role: "user", content: "hi" }],
        max_tokens: 3,
      });
      assert.equal(reply.usage?.completion_tokens, 3);
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0);

    const unset = promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", "serve", "--api-key-env", "HEARTH_UNSET_KEY_VAR"],
      { cwd: repoRoot },
    );
    await assert.rejects(unset, (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /HEARTH_UNSET_KEY_VAR, which is empty or unset/);
      return true;
    });
  });
});
