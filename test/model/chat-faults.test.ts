import assert from "node:assert/strict";
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { ContextOverflowError } from "../../src/models/chat/context-fit.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { ModelSamplingError } from "../../src/models/chat/sampling-guard.js";
import { testModelPath } from "../helpers/test-models.js";

/** Fails the test instead of hanging it: the bug this file guards against was a promise that never settled. */
function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const weather = tool(async () => "sunny", {
  name: "get_weather",
  description: "Weather for a city",
  schema: z.object({ city: z.string() }),
});

describe("a model whose tensor data is damaged", () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-damaged-"));
  const file = join(dir, "damaged.gguf");
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let model: ChatNodeLlamaCpp;

  before(async () => {
    // A valid header and tensor index, with the second half of the file (tensor data) overwritten:
    // the weights become NaN, so every logit is NaN.
    copyFileSync(await testModelPath({ family: "chatml", shape: "tiny" }), file);
    const size = statSync(file).size;
    const start = Math.floor(size / 2);
    const fd = openSync(file, "r+");
    writeSync(fd, Buffer.alloc(size - start, 0xff), 0, size - start, start);
    closeSync(fd);
    process.on("unhandledRejection", onUnhandled);
    model = new ChatNodeLlamaCpp({ modelPath: file, maxTokens: 24 });
  });

  after(async () => {
    process.off("unhandledRejection", onUnhandled);
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fails grammar-bound calls with a clear error, frees the sequence, and stays usable", async () => {
    const structured = model.withStructuredOutput(z.object({ answer: z.string() }));
    await assert.rejects(
      settlesWithin(structured.invoke("hello"), 60_000, "structured output"),
      (error: unknown) =>
        error instanceof ModelSamplingError &&
        error.message.includes("damaged.gguf") &&
        /damaged/.test(error.message),
    );
    for (const jumpForward of [true, false]) {
      // Room for the shortest complete call (a smaller budget is refused before sampling).
      const forced = new ChatNodeLlamaCpp({ modelPath: file, maxTokens: 96, jumpForward });
      try {
        await assert.rejects(
          settlesWithin(
            forced.bindTools([weather], { tool_choice: "get_weather" }).invoke("weather?"),
            60_000,
            `forced call (jumpForward ${jumpForward})`,
          ),
          ModelSamplingError,
        );
      } finally {
        await forced.dispose();
      }
    }
    // The one sequence was handed back: later calls on the same model run (and settle).
    await assert.rejects(
      settlesWithin(structured.invoke("again"), 60_000, "second structured call"),
      ModelSamplingError,
    );
    const plain = await settlesWithin(model.invoke("hi"), 60_000, "plain call after failures");
    assert.equal(typeof plain.content, "string");
    assert.deepEqual(unhandled, [], "no unhandled rejection escaped node-llama-cpp");
  });
});

describe("a prompt longer than the context", () => {
  let model: ChatNodeLlamaCpp;
  before(async () => {
    model = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "chatml", shape: "tiny" }),
      contextSize: 512,
      maxTokens: 16,
    });
  });
  after(() => model.dispose());

  it("is refused with the sizes and what to raise, not silently cut", async () => {
    const question = Array.from({ length: 400 }, (_, i) => `word${i % 50}`).join(" ");
    await assert.rejects(model.invoke(question), (error: unknown) => {
      assert.ok(error instanceof ContextOverflowError);
      assert.ok(error.promptTokens > 512, `prompt counted as ${error.promptTokens} tokens`);
      assert.equal(error.contextSize, 512);
      assert.match(error.message, /Raise contextSize \(up to 32768\)/);
      return true;
    });
    // A question that fits still runs, and its reply stays within the context.
    const reply = await model.invoke("a short question");
    assert.ok((reply.usage_metadata?.input_tokens ?? 0) > 0);
  });

  it("caps the reply at the room the context has left instead of shifting the context", async () => {
    const roomy = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "chatml", shape: "tiny" }),
      contextSize: 512,
      maxTokens: 64,
    });
    try {
      // About 470 prompt tokens: the reserve (64) is not free, so the call is refused rather
      // than generating into a shifted context.
      const question = Array.from({ length: 66 }, (_, i) => `word${i % 50}`).join(" ");
      await assert.rejects(roomy.invoke(question), ContextOverflowError);
    } finally {
      await roomy.dispose();
    }
  });
});
