import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  createSearchDocumentsTool,
  type DocumentWalkReport,
  describeSkipped,
  readDocuments,
} from "../../src/tools/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Runs `code` (an ES module body) in a child process where file permissions apply. As root the
 * child keeps its user but loses the capabilities that bypass them (setpriv, util-linux): a
 * switch to another user would also need that user to read the checkout, which a private CI
 * folder does not allow.
 */
function runUnprivileged(code: string): { status: number | null; stdout: string; stderr: string } {
  const asRoot = process.getuid?.() === 0;
  const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", code];
  const [command, ...args] = asRoot
    ? ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", ...node]
    : node;
  const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Sources read, leaving out the locked folder (readable in-process when the tests run as root). */
const sources = (documents: Array<{ source: string }>) =>
  documents.map((d) => d.source).filter((source) => !source.startsWith("locked/"));

describe("document loading: a bounded walk that skips what it cannot read", () => {
  let folder = "";
  before(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "hearth-walk-"));
    await chmod(folder, 0o755);
    await writeFile(path.join(folder, "top.md"), "# Top\nZebras at the top.");
    await writeFile(path.join(folder, "big.txt"), `Zebras ${"z".repeat(5000)}`);
    await mkdir(path.join(folder, "a", "b", "c"), { recursive: true });
    await writeFile(path.join(folder, "a", "one.md"), "Zebras one level down.");
    await writeFile(path.join(folder, "a", "b", "two.md"), "Zebras two levels down.");
    await writeFile(path.join(folder, "a", "b", "c", "three.md"), "Zebras three levels down.");
    // A link back to the root: followed, it would never end.
    await symlink(folder, path.join(folder, "a", "loop"));
    await mkdir(path.join(folder, "locked"));
    await writeFile(path.join(folder, "locked", "hidden.md"), "Zebras behind a lock.");
    await chmod(path.join(folder, "locked"), 0o000);
    for (const dir of ["a", path.join("a", "b"), path.join("a", "b", "c")])
      await chmod(path.join(folder, dir), 0o755);
  });
  after(async () => {
    await chmod(path.join(folder, "locked"), 0o755).catch(() => {});
    await rm(folder, { recursive: true, force: true });
  });

  it("keeps searching past an unreadable folder (EACCES) and says what it skipped", () => {
    const code = `
      import { createSearchDocumentsTool } from "./src/tools/index.ts";
      let report;
      const tool = createSearchDocumentsTool({ folder: ${JSON.stringify(folder)}, onLoad: (r) => { report = r; } });
      const first = await tool.invoke({ query: "zebras", k: 10 });
      const second = await tool.invoke({ query: "levels" });
      console.log(JSON.stringify({ first, second, report }));
    `;
    const child = runUnprivileged(code);
    assert.equal(child.status, 0, child.stderr);
    const { first, second, report } = JSON.parse(child.stdout) as {
      first: string;
      second: string;
      report: DocumentWalkReport;
    };
    assert.match(first, /\[1\] /);
    assert.match(second, /levels down/);
    assert.deepEqual(report.skipped, [{ path: "locked", reason: "unreadable (EACCES)" }]);
    assert.equal(report.files, 5);
    for (const text of [first, second]) {
      assert.match(
        text,
        /\(Documents in .*: skipped 1 entry \(locked: unreadable \(EACCES\)\)\.\)$/,
      );
    }
  });

  it("stops descending at maxDepth and reports the folders left out", async () => {
    const { documents, report } = await readDocuments(folder, { maxDepth: 1 });
    assert.deepEqual(sources(documents), ["a/one.md", "big.txt", "top.md"]);
    assert.ok(
      report.skipped.some((s) => s.path === "a/b" && s.reason === "deeper than maxDepth 1"),
    );
  });

  it("stops at maxFiles, keeping the documents nearest the root", async () => {
    const { documents, report } = await readDocuments(folder, { maxFiles: 2 });
    assert.deepEqual(
      documents.map((d) => d.source),
      ["big.txt", "top.md"],
    );
    assert.equal(report.stopped, "maxFiles");
    assert.match(describeSkipped(report), /stopped at maxFiles 2 after 2 documents\.$/);
  });

  it("skips a file that does not fit maxBytes and still loads smaller ones", async () => {
    const { documents, report } = await readDocuments(folder, { maxBytes: 1000 });
    assert.ok(!documents.some((d) => d.source === "big.txt"));
    assert.ok(documents.some((d) => d.source === "a/b/c/three.md"));
    assert.ok(report.bytes <= 1000);
    assert.ok(
      report.skipped.some(
        (s) => s.path === "big.txt" && /does not fit maxBytes \(5007 bytes/.test(s.reason),
      ),
    );
  });

  it("ends a walk over many entries at maxEntries", async () => {
    const { report } = await readDocuments(folder, { maxEntries: 3 });
    assert.equal(report.stopped, "maxEntries");
  });

  it("rejects limits outside their range in the API's wording", () => {
    assert.throws(
      () => createSearchDocumentsTool({ folder, limits: { maxFiles: 0 } }),
      /^RangeError: search_documents limits.maxFiles must be an integer ≥ 1 \(got 0\)$/,
    );
    assert.throws(
      () => createSearchDocumentsTool({ folder, limits: { maxDepth: -1 } }),
      /limits.maxDepth must be an integer ≥ 0 \(got -1\)/,
    );
  });
});
