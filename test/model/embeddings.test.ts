import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { EmbeddingInputError, HearthEmbeddings } from "../../src/models/embeddings/index.js";
import { loadedModelPaths } from "../../src/models/load/index.js";
import { testModelPath } from "../helpers/test-models.js";

const created: HearthEmbeddings[] = [];
function embeddings(fields: ConstructorParameters<typeof HearthEmbeddings>[0]): HearthEmbeddings {
  const instance = new HearthEmbeddings(fields);
  created.push(instance);
  return instance;
}

let lastPooled: string;
let meanPooled: string;

before(async () => {
  // Qwen3-Embedding's layout (qwen3 + last-token pooling) and a llama file with mean pooling.
  lastPooled = await testModelPath({ family: "qwen", pooling: "last" });
  meanPooled = await testModelPath({ family: "chatml", pooling: "mean" });
});

after(async () => {
  for (const instance of created) await instance.dispose();
});

function norm(vector: number[]): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

const TEXTS = [
  "Hearth runs models locally.",
  "The graph routes a question.",
  "Tools are forced by grammars.",
  "Nothing leaves the machine.",
];

describe("HearthEmbeddings on generated embedding models", () => {
  it("reads dimensions and pooling from the GGUF", async () => {
    const last = embeddings({ modelPath: lastPooled, contextSize: 256 });
    const mean = embeddings({ modelPath: meanPooled, contextSize: 256 });
    const lastInfo = await last.info();
    assert.equal(lastInfo.pooling, "last");
    assert.equal(lastInfo.dimensions, 64);
    assert.equal(lastInfo.maxInputTokens, 255);
    assert.equal((await mean.info()).pooling, "mean");
    const vector = await last.embedQuery("hello world");
    assert.equal(vector.length, 64);
  });

  it("normalises to unit length unless told not to", async () => {
    const normalised = embeddings({ modelPath: lastPooled, contextSize: 256 });
    const raw = embeddings({ modelPath: lastPooled, contextSize: 256, normalize: false });
    const a = await normalised.embedQuery(TEXTS[0]);
    const b = await raw.embedQuery(TEXTS[0]);
    assert.ok(Math.abs(norm(a) - 1) < 1e-6, `norm ${norm(a)}`);
    assert.ok(Math.abs(norm(b) - 1) > 1e-3, "the raw pooled vector is not unit length already");
    const scaled = b.map((value) => value / norm(b));
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - scaled[i]) < 1e-6);
  });

  it("a batch equals the inputs embedded one by one, in order, with several contexts too", async () => {
    const single = embeddings({ modelPath: meanPooled, contextSize: 256 });
    const parallel = embeddings({ modelPath: meanPooled, contextSize: 256, contexts: 2 });
    const oneByOne = [];
    for (const text of TEXTS) oneByOne.push(await single.embedQuery(text));
    const batched = await single.embedDocuments(TEXTS);
    const spread = await parallel.embedDocuments(TEXTS);
    for (let i = 0; i < TEXTS.length; i++) {
      for (let j = 0; j < oneByOne[i].length; j++) {
        assert.ok(Math.abs(batched[i][j] - oneByOne[i][j]) < 1e-5, `batch input ${i}`);
        assert.ok(Math.abs(spread[i][j] - oneByOne[i][j]) < 1e-5, `2 contexts input ${i}`);
      }
    }
    // Different texts give different vectors (the batch was not one vector repeated).
    assert.notDeepEqual(batched[0], batched[1]);
  });

  it("is deterministic across instances and shares the loaded model with chat models", async () => {
    const first = embeddings({ modelPath: lastPooled, contextSize: 256 });
    const vector = await first.embedQuery(TEXTS[2]);
    const chat = new ChatNodeLlamaCpp({ modelPath: lastPooled, contextSize: 512 });
    await chat.getNumTokens("warm up the chat model's load");
    const second = embeddings({ modelPath: lastPooled, contextSize: 256 });
    assert.deepEqual(await second.embedQuery(TEXTS[2]), vector);
    const paths = loadedModelPaths().filter((key) => key.endsWith(lastPooled.split("/").at(-1)!));
    assert.equal(paths.length, 1, "one model for the file");
    // The chat model letting go must not free the weights the embeddings still use.
    await chat.dispose();
    assert.deepEqual(await second.embedQuery(TEXTS[2]), vector);
  });

  it("puts the model card's prefixes before queries and documents", async () => {
    const plain = embeddings({ modelPath: meanPooled, contextSize: 256 });
    const prefixed = embeddings({
      modelPath: meanPooled,
      contextSize: 256,
      queryPrefix: "search_query: ",
      documentPrefix: "search_document: ",
    });
    assert.deepEqual(
      await prefixed.embedQuery("caching"),
      await plain.embedQuery("search_query: caching"),
    );
    assert.deepEqual(
      await prefixed.embedDocuments(["caching"]),
      await plain.embedDocuments(["search_document: caching"]),
    );
    assert.notDeepEqual(await prefixed.embedQuery("caching"), await plain.embedQuery("caching"));
    const nomic = HearthEmbeddings.fromCatalog("nomic-embed-text-v1.5");
    assert.equal(
      nomic.modelPath,
      "hf:nomic-ai/nomic-embed-text-v1.5-GGUF/nomic-embed-text-v1.5.Q8_0.gguf",
    );
  });

  it("rejects a too-long input with its index and what to do, before evaluating any", async () => {
    const small = embeddings({ modelPath: meanPooled, contextSize: 32 });
    const long = "word ".repeat(200);
    const before = small.embeddedTokens;
    await assert.rejects(
      small.embedDocuments(["short", long]),
      (error: unknown) =>
        error instanceof EmbeddingInputError &&
        error.problem === "too-long" &&
        error.index === 1 &&
        error.limit === 31 &&
        (error.tokens ?? 0) > 31 &&
        /truncate: true/.test(error.message) &&
        /Split the text/.test(error.message),
    );
    assert.equal(small.embeddedTokens, before, "nothing was evaluated");
    await assert.rejects(small.embedQuery(""), /empty/);
  });

  it("with truncate: true embeds the first tokens that fit and flags the input", async () => {
    const cutting = embeddings({ modelPath: meanPooled, contextSize: 32, truncate: true });
    const long = "alpha beta gamma delta ".repeat(40);
    const [short, cut] = await cutting.embedWithDetails(["alpha beta", long]);
    assert.equal(short.truncated, false);
    assert.equal(cut.truncated, true);
    assert.equal(cut.tokens, 31);
    assert.ok(Math.abs(norm(cut.embedding) - 1) < 1e-6);
    // The same as embedding the kept prefix on its own.
    const prefix = await cutting.embedWithDetails([long.slice(0, 200)]);
    assert.equal(prefix[0].truncated, true);
    assert.deepEqual(prefix[0].embedding, cut.embedding);
  });
});
