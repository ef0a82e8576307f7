import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SnapshotCostModel, SnapshotStore, snapshotId } from "../../src/models/snapshots/index.js";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "hearth-snapshots-"));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const KEY = { modelFile: "/models/a.gguf", modelBytes: 1234, contextSize: 4096, prefixHash: "abc" };

function writer(bytes: Buffer) {
  return async (file: string) => writeFile(file, bytes);
}

describe("SnapshotStore", () => {
  it("returns a saved snapshot only for exactly the same key", async () => {
    const store = new SnapshotStore(await tempDir(), 1 << 20);
    const saved = await store.save(KEY, 7, writer(Buffer.alloc(100, 1)));
    assert.ok(saved);
    const found = await store.lookup({ ...KEY });
    assert.deepEqual(found, saved);
    assert.equal((await readFile(found.file)).length, 100);
    for (const changed of [
      { ...KEY, contextSize: 8192 },
      { ...KEY, prefixHash: "abd" },
      { ...KEY, flashAttention: "true" },
    ]) {
      assert.equal(await store.lookup(changed), undefined);
    }
    assert.ok(await store.lookup(KEY), "a lookup with another key leaves the snapshot alone");
  });

  it("never trusts a meta file whose key differs from the one its name stands for", async () => {
    const dir = await tempDir();
    const store = new SnapshotStore(dir, 1 << 20);
    const other = { ...KEY, contextSize: 2048 };
    await store.save(other, 7, writer(Buffer.alloc(50, 2)));
    // Put the other key's meta under KEY's name, as a hash collision or a copied file would.
    await writeFile(
      path.join(dir, `${snapshotId(KEY)}.json`),
      await readFile(path.join(dir, `${snapshotId(other)}.json`)),
    );
    assert.equal(await store.lookup(KEY), undefined);
    assert.ok(!(await readdir(dir)).includes(`${snapshotId(KEY)}.json`), "the bad meta is removed");
    assert.ok(await store.lookup(other), "the genuine snapshot is untouched");
  });

  it("ignores and removes a truncated, garbled or missing state file and an unreadable meta; a new save rebuilds it", async () => {
    const dir = await tempDir();
    const store = new SnapshotStore(dir, 1 << 20);
    const damage: Array<(file: string, meta: string) => Promise<void>> = [
      (file) => truncate(file, 60),
      async (file) => {
        const bytes = await readFile(file);
        bytes[50] ^= 0xff; // same size, one byte changed
        await writeFile(file, bytes);
      },
      (file) => rm(file),
      (_file, meta) => writeFile(meta, "{ not json"),
      async (_file, meta) => {
        const parsed = JSON.parse(await readFile(meta, "utf8"));
        await writeFile(meta, JSON.stringify({ ...parsed, stateFile: "../../etc/passwd" }));
      },
    ];
    for (const [index, harm] of damage.entries()) {
      const saved = await store.save(KEY, 7, writer(Buffer.alloc(100, index + 1)));
      assert.ok(saved);
      await harm(saved.file, path.join(dir, `${snapshotId(KEY)}.json`));
      assert.equal(await store.lookup(KEY), undefined, `damage ${index} is detected`);
      assert.equal(await store.lookup(KEY), undefined, `damage ${index}: still nothing`);
      const rebuilt = await store.save(KEY, 7, writer(Buffer.alloc(100, 9)));
      assert.deepEqual(await store.lookup(KEY), rebuilt, `damage ${index}: rebuilt`);
      assert.deepEqual(await readFile(rebuilt!.file), Buffer.alloc(100, 9));
    }
  });

  it("evicts the least recently used snapshots when the folder outgrows maxBytes", async () => {
    const dir = await tempDir();
    const store = new SnapshotStore(dir, 250);
    const key = (n: number) => ({ ...KEY, prefixHash: `p${n}` });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    await store.save(key(1), 1, writer(Buffer.alloc(100, 1)));
    await pause();
    await store.save(key(2), 1, writer(Buffer.alloc(100, 2)));
    await pause();
    assert.ok(await store.lookup(key(1)), "using 1 makes 2 the least recently used");
    await pause();
    await store.save(key(3), 1, writer(Buffer.alloc(100, 3)));
    assert.equal(await store.lookup(key(2)), undefined);
    assert.ok(await store.lookup(key(1)));
    assert.ok(await store.lookup(key(3)));
    const states = (await readdir(dir)).filter((name) => name.endsWith(".state"));
    assert.equal(states.length, 2, "the evicted state file is gone from disk");
  });

  it("keeps the snapshot whole when async writers race for one key", async () => {
    const dir = await tempDir();
    const store = new SnapshotStore(dir, 1 << 30);
    const slowWriter = (value: number) => async (file: string) => {
      for (let piece = 0; piece < 8; piece++) {
        await writeFile(file, Buffer.alloc(4096, value), { flag: piece === 0 ? "w" : "a" });
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([1, 2, 3, 4].map((value) => store.save(KEY, 1, slowWriter(value))));
    const found = await store.lookup(KEY);
    assert.ok(found);
    const bytes = await readFile(found.file);
    assert.equal(bytes.length, 8 * 4096);
    assert.ok([1, 2, 3, 4].some((value) => bytes.equals(Buffer.alloc(8 * 4096, value))));
    const left = (await readdir(dir)).filter((name) => name.endsWith(".tmp"));
    assert.deepEqual(left, [], "no temporary file is left behind");
  });

  it("keeps the snapshot whole when two processes write the same key at once", async () => {
    const dir = await tempDir();
    const script = fileURLToPath(new URL("../helpers/snapshot-writer.ts", import.meta.url));
    const size = 1 << 20;
    const run = (value: number) =>
      promisify(execFile)(process.execPath, [
        "--import",
        "tsx",
        script,
        dir,
        JSON.stringify(KEY),
        String(value),
        String(size),
        "5",
      ]);
    await Promise.all([run(1), run(2)]);
    const found = await new SnapshotStore(dir, 1 << 30).lookup(KEY);
    assert.ok(found, "a valid snapshot survives");
    const bytes = await readFile(found.file);
    assert.ok(
      bytes.equals(Buffer.alloc(size, 1)) || bytes.equals(Buffer.alloc(size, 2)),
      "the state is one writer's whole file, never a mix",
    );
  });
});

describe("SnapshotCostModel", () => {
  it("restores when reading the bytes is measured faster than evaluating the tokens", () => {
    // 114,688 bytes per token: Qwen3-0.6B's 28 layers × 8 KV heads × 128 × 2 (K, V) × 2 bytes.
    const cost = new SnapshotCostModel(114_688);
    assert.equal(cost.snapshotBytes(2000), 229_376_000);
    assert.equal(cost.restoreBeatsEvaluate(2000), true, "unmeasured: try the snapshot");
    assert.equal(cost.saveWorthwhile(2000), false, "unmeasured: nothing to gain is known");
    cost.observeEvaluate(2000, 10_000); // 200 tok/s: a 0.6B model on 2 busy cores
    cost.observeRestore(229_376_000, 230); // ~1 GB/s from the page cache
    assert.equal(cost.restoreBeatsEvaluate(2000), true);
    assert.equal(cost.saveWorthwhile(2000), true);
    const fast = new SnapshotCostModel(114_688);
    fast.observeEvaluate(2000, 20); // 100,000 tok/s: a tiny model
    assert.equal(fast.restoreBeatsEvaluate(2000), false);
    assert.equal(fast.saveWorthwhile(2000), false);
  });
});
