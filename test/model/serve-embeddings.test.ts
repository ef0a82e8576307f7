import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";
import { HearthEmbeddings } from "../../src/models/embeddings/index.js";
import { type ServedTestModel, serveTestModel } from "../helpers/serve-fixture.js";
import { testModelPath } from "../helpers/test-models.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let served: ServedTestModel;
let client: OpenAI;
let embeddings: HearthEmbeddings;
let baseURL: string;

before(async () => {
  embeddings = new HearthEmbeddings({
    modelPath: await testModelPath({ family: "qwen", pooling: "last" }),
    contextSize: 64,
  });
  served = await serveTestModel(
    { contextSize: 512, sequences: 1, maxQueue: 4 },
    { embeddings: { "hearth-embed": embeddings } },
  );
  client = served.client;
  baseURL = `${served.server.url}/v1`;
});

after(async () => {
  await served.close();
  await embeddings.dispose();
});

describe("hearth serve /v1/embeddings with the official openai client", () => {
  it("returns each input's vector by index with usage, in float and base64", async () => {
    const texts = ["local first", "hybrid retrieval", "grammars"];
    const expected = await embeddings.embedWithDetails(texts);
    const asFloat = await client.embeddings.create({
      model: "hearth-embed",
      input: texts,
      encoding_format: "float",
    });
    assert.equal(asFloat.object, "list");
    assert.equal(asFloat.model, "hearth-embed");
    assert.deepEqual(
      asFloat.data.map((item) => item.index),
      [0, 1, 2],
    );
    for (const [i, item] of asFloat.data.entries())
      assert.deepEqual(item.embedding, expected[i].embedding);
    const tokens = expected.reduce((sum, result) => sum + result.tokens, 0);
    assert.deepEqual(asFloat.usage, { prompt_tokens: tokens, total_tokens: tokens });

    // The client asks for base64 by default and decodes float32 itself.
    const asBase64 = await client.embeddings.create({
      model: "hearth-embed",
      input: "local first",
    });
    const decoded = asBase64.data[0].embedding;
    assert.equal(decoded.length, 64);
    for (let i = 0; i < decoded.length; i++) {
      assert.ok(Math.abs(decoded[i] - expected[0].embedding[i]) < 1e-6);
    }
  });

  it("says what is wrong: unknown model, too-long input, token arrays, dimensions", async () => {
    await assert.rejects(
      client.embeddings.create({ model: "text-embedding-3-small", input: "x" }),
      (error: unknown) =>
        error instanceof OpenAI.NotFoundError &&
        /Served embedding models: hearth-embed/.test(error.message),
    );
    await assert.rejects(
      client.embeddings.create({ model: "hearth-embed", input: ["ok", "word ".repeat(100)] }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError &&
        error.code === "context_length_exceeded" &&
        /Input 1 has \d+ tokens/.test(error.message),
    );
    await assert.rejects(
      client.embeddings.create({ model: "hearth-embed", input: [[1, 2, 3]] }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError && /text only/.test(error.message),
    );
    await assert.rejects(
      client.embeddings.create({ model: "hearth-embed", input: "x", dimensions: 32 }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError && /returns 64 dimensions/.test(error.message),
    );
    const response = await fetch(`${baseURL}/embeddings`, { method: "POST", body: "{not json" });
    assert.equal(response.status, 400);
    assert.match(
      ((await response.json()) as { error: { message: string } }).error.message,
      /not valid JSON/,
    );
  });
});

describe("hearth serve --embedding-model", () => {
  it("serves /v1/embeddings beside the chat model until SIGINT", async () => {
    const embedPath = await testModelPath({ family: "qwen", pooling: "last" });
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
        "--context",
        "512",
        "--embedding-model",
        embedPath,
      ],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      let stdout = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 60_000);
        child.stdout.on("data", (data: Buffer) => {
          stdout += data.toString();
          const match = /OpenAI base URL\s+(http:\/\/\S+)\/v1/.exec(stdout);
          if (match && /embeddings/.test(stdout)) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once("exit", () => reject(new Error(`exited early: ${stdout}`)));
      });
      const name = path.basename(embedPath, ".gguf");
      assert.match(stdout, new RegExp(`POST /v1/embeddings\\s+\\(model "${name}"\\)`));
      const cli = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
      const response = await cli.embeddings.create({ model: name, input: "local first" });
      const expected = await embeddings.embedQuery("local first");
      const vector = response.data[0].embedding;
      assert.equal(vector.length, expected.length);
      for (let i = 0; i < vector.length; i++) assert.ok(Math.abs(vector[i] - expected[i]) < 1e-6);
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0);
  });
});
