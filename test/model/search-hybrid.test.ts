import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { Embeddings } from "@langchain/core/embeddings";
import { HearthEmbeddings } from "../../src/models/embeddings/index.js";
import {
  buildDocumentIndex,
  createSearchDocumentsTool,
  reciprocalRankFusion,
  type SearchHit,
} from "../../src/tools/builtins/index.js";
import { testModelPath } from "../helpers/test-models.js";

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "hearth-hybrid-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function writeDocs(folder: string, files: Record<string, string>): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(folder, name), content);
  }
}

/** Counts what reaches the model: every text of every embedDocuments call. */
class CountingEmbeddings extends Embeddings {
  embeddedTexts: string[] = [];
  constructor(private readonly inner: Embeddings & { modelPath?: string }) {
    super({});
  }
  get modelPath() {
    return this.inner.modelPath;
  }
  async embedDocuments(texts: string[]) {
    this.embeddedTexts.push(...texts);
    return this.inner.embedDocuments(texts);
  }
  embedQuery(text: string) {
    return this.inner.embedQuery(text);
  }
}

describe("reciprocal-rank fusion", () => {
  it("orders by Σ 1/(60 + rank) with first-seen order on ties", () => {
    // a: 1/61 + 1/62 = 0.032522; c: 1/63 + 1/61 = 0.032266; b: 1/62; d: 1/63.
    const fused = reciprocalRankFusion([
      ["a", "b", "c"],
      ["c", "a", "d"],
    ]);
    assert.deepEqual(
      fused.map((item) => item.key),
      ["a", "c", "b", "d"],
    );
    assert.ok(Math.abs(fused[0].score - (1 / 61 + 1 / 62)) < 1e-12);
    assert.deepEqual(fused[1].ranks, [3, 1]);
    assert.deepEqual(fused[3].ranks, [undefined, 3]);
    // Only in one list each, same rank: the tie keeps the first list's item first.
    assert.deepEqual(
      reciprocalRankFusion([["x"], ["y"]]).map((item) => item.key),
      ["x", "y"],
    );
    // A smaller k rewards the top ranks more: a single first place beats two third places.
    assert.deepEqual(
      reciprocalRankFusion(
        [
          ["p", "s", "q"],
          ["r", "t", "q"],
        ],
        0,
      ).map((item) => item.key)[0],
      "p",
    );
  });
});

/**
 * Vectors constructed by hand, per passage heading, so the vector ranking of a query is known
 * exactly, whatever words the passages share with it. Every query maps to the first axis.
 */
class ConstructedEmbeddings extends Embeddings {
  static readonly vectors: Record<string, number[]> = {
    "Apple engines": [0.2, 1, 0], // cosine to the query 0.196: vector rank 3
    Orchard: [0.9, 0.1, 0], // 0.994: rank 2
    Pears: [1, 0, 0], // 1.0: rank 1
    Storms: [0, 0, 1], // 0: rank 4
  };
  constructor() {
    super({});
  }
  async embedDocuments(texts: string[]) {
    return texts.map((text) => {
      const vector = ConstructedEmbeddings.vectors[text.split("\n")[0]];
      assert.ok(vector, `no constructed vector for ${JSON.stringify(text)}`);
      return vector;
    });
  }
  async embedQuery(_text: string) {
    return [1, 0, 0];
  }
}

describe("hybrid search_documents", () => {
  it("fuses BM25 and vector ranks into the order RRF predicts", async () => {
    const folder = path.join(scratch, "fusion");
    await writeDocs(folder, {
      "a.md": "# Apple engines\nThe apple engine and the apple press.",
      "b.md": "# Orchard\nAn apple is a fruit that grows on trees.",
      // No "apple" at all: only the vectors find it.
      "c.md": "# Pears\nA pear is a fruit with soft flesh.",
      "d.md": "# Storms\nThe weather turned cold.",
    });
    const index = await buildDocumentIndex(folder, {
      embeddings: new ConstructedEmbeddings(),
      indexPath: path.join(scratch, "fusion.sqlite"),
    });
    try {
      const hits = await index.search("apple", 4);
      // BM25 ranks a (the word 3 times) then b; the vectors rank c, b, a, d. RRF (k = 60):
      // a = 1/61 + 1/63 = 0.032266 > b = 1/62 + 1/62 = 0.032258 > c = 1/61 > d = 1/64.
      assert.deepEqual(
        hits.map((hit) => [hit.source, hit.ranks?.bm25, hit.ranks?.vector]),
        [
          ["a.md", 1, 3],
          ["b.md", 2, 2],
          ["c.md", undefined, 1],
          ["d.md", undefined, 4],
        ],
      );
      const expected = [1 / 61 + 1 / 63, 1 / 62 + 1 / 62, 1 / 61, 1 / 64];
      for (const [i, hit] of hits.entries()) assert.ok(Math.abs(hit.score - expected[i]) < 1e-12);
    } finally {
      index.close();
    }
  });

  it("without an embedding model it is BM25 only", async () => {
    const folder = path.join(scratch, "bm25");
    await writeDocs(folder, {
      "a.md": "# Apple\nThe apple engine and the apple press.",
      "c.md": "# Pears\nA pear is a fruit with soft flesh.",
    });
    const index = await buildDocumentIndex(folder);
    assert.equal(index.mode, "bm25");
    const hits = await index.search("apple", 5);
    assert.deepEqual(
      hits.map((hit) => hit.source),
      ["a.md"],
    );
    assert.equal(hits[0].ranks, undefined);
    await assert.rejects(
      buildDocumentIndex(folder, { embeddings: new ConstructedEmbeddings() }),
      /indexPath/,
    );
  });

  it("persists the vectors and re-embeds only new and changed files (generated embedding model)", async () => {
    const folder = path.join(scratch, "incremental");
    const indexPath = path.join(scratch, "incremental.sqlite");
    await writeDocs(folder, {
      "alpha.md": "# Alpha\nFirst file about caching.\n\n# Second part\nMore about caching.",
      "beta.md": "# Beta\nSecond file about graphs.",
      "gamma.txt": "Third file about tools.",
    });
    const modelPath = await testModelPath({ family: "qwen", pooling: "last" });
    const model = new HearthEmbeddings({ modelPath, contextSize: 256 });
    try {
      const first = new CountingEmbeddings(model);
      const built = await buildDocumentIndex(folder, { embeddings: first, indexPath });
      assert.equal(built.mode, "hybrid");
      assert.deepEqual(built.sync?.added, ["alpha.md", "beta.md", "gamma.txt"]);
      assert.equal(first.embeddedTexts.length, 4, "alpha has 2 passages, beta and gamma 1 each");
      const before = await built.search("caching graphs", 4);
      built.close();

      // A new instance (a new process would do the same) finds everything on disk.
      const second = new CountingEmbeddings(model);
      const reopened = await buildDocumentIndex(folder, { embeddings: second, indexPath });
      assert.equal(second.embeddedTexts.length, 0);
      assert.equal(reopened.sync?.unchanged, 3);
      assert.deepEqual(
        (await reopened.search("caching graphs", 4)).map(summary),
        before.map(summary),
      );
      reopened.close();

      // Change one file, delete one, add one: only the changed and the new file are embedded.
      await writeFile(path.join(folder, "beta.md"), "# Beta\nSecond file, now about checkpoints.");
      await unlink(path.join(folder, "gamma.txt"));
      await writeFile(path.join(folder, "delta.md"), "# Delta\nA new file about threads.");
      const third = new CountingEmbeddings(model);
      const updated = await buildDocumentIndex(folder, { embeddings: third, indexPath });
      assert.deepEqual(updated.sync?.changed, ["beta.md"]);
      assert.deepEqual(updated.sync?.added, ["delta.md"]);
      assert.deepEqual(updated.sync?.removed, ["gamma.txt"]);
      assert.equal(updated.sync?.unchanged, 1);
      assert.deepEqual(third.embeddedTexts, [
        "Beta\nSecond file, now about checkpoints.",
        "Delta\nA new file about threads.",
      ]);
      // The deleted file's passages are gone from the vector side too.
      const all = await updated.search("file", 10);
      assert.ok(all.every((hit) => hit.source !== "gamma.txt"));
      assert.equal(new Set(all.map((hit) => hit.source)).size, 3);
      updated.close();

      // Another embedding model: the index is rebuilt rather than mixing vectors.
      const other = new CountingEmbeddings(model);
      const rebuilt = await buildDocumentIndex(folder, {
        embeddings: other,
        indexPath,
        embeddingModelId: "another-model",
      });
      assert.equal(rebuilt.sync?.rebuilt, true);
      assert.equal(other.embeddedTexts.length, 4);
      rebuilt.close();
    } finally {
      await model.dispose();
    }
  });

  it("the tool answers with fused hits as its artifact", async () => {
    const folder = path.join(scratch, "tool");
    await writeDocs(folder, {
      "b.md": "# Orchard\nAn apple is a fruit that grows on trees.",
      "c.md": "# Pears\nA pear is a fruit with soft flesh.",
    });
    const tool = createSearchDocumentsTool({
      folder,
      embeddings: new ConstructedEmbeddings(),
      indexPath: path.join(scratch, "tool.sqlite"),
    });
    const message = await tool.invoke({
      type: "tool_call",
      id: "call-1",
      name: "search_documents",
      args: { query: "apple", k: 2 },
    });
    const hits = message.artifact as SearchHit[];
    assert.deepEqual(
      hits.map((hit) => hit.source),
      ["b.md", "c.md"],
    );
    assert.match(String(message.content), /\[1\] b\.md › Orchard/);
  });
});

function summary(hit: SearchHit) {
  return { source: hit.source, heading: hit.heading, ranks: hit.ranks };
}
