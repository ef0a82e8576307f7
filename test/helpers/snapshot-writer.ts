// A separate process that saves one snapshot through SnapshotStore: the concurrent-writer test
// runs two of these at once. Args: dir, key JSON, byte value, size, rounds.
import { writeFile } from "node:fs/promises";
import { SnapshotStore } from "../../src/models/snapshots/index.js";

const [dir, keyJson, value, size, rounds] = process.argv.slice(2);
const store = new SnapshotStore(dir, 1 << 30);
for (let round = 0; round < Number(rounds); round++) {
  await store.save(JSON.parse(keyJson), 1, async (file) => {
    // Written in pieces, so the two writers' files are in progress at the same time.
    const piece = Buffer.alloc(Number(size) / 8, Number(value));
    await writeFile(file, piece);
    for (let index = 1; index < 8; index++) await writeFile(file, piece, { flag: "a" });
  });
}
