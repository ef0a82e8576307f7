import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { HearthEmbeddings } from "../../src/models/embeddings/index.js";
import { embeddingsRoute } from "../../src/serve/embeddings-route.js";
import { testModelPath } from "../helpers/test-models.js";

let server: http.Server;
let client: OpenAI;
let embeddings: HearthEmbeddings;
let baseURL: string;

before(async () => {
  embeddings = new HearthEmbeddings({
    modelPath: await testModelPath({ family: "qwen", pooling: "last" }),
    contextSize: 64,
  });
  const route = embeddingsRoute({ models: { "hearth-embed": embeddings } });
  server = http.createServer((request, response) => {
    if (request.url === "/v1/embeddings") return void route(request, response);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  client = new OpenAI({ baseURL, apiKey: "local", maxRetries: 0, timeout: 30_000 });
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await embeddings.dispose();
});

describe("/v1/embeddings with the official openai client", () => {
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
