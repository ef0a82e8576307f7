import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { main } from "../../src/cli/main.js";

describe("hearth eval opens its model through the loader ask and pull use", () => {
  // The test's timeout is the "never hangs" check: the old resolver probed and retried the network.
  it("offline with an uncached hf: model fails at once with the loader's error", {
    timeout: 30_000,
  }, async () => {
    const cache = await mkdtemp(join(tmpdir(), "hearth-eval-offline-"));
    const saved = { offline: process.env.HEARTH_OFFLINE, dir: process.env.HEARTH_MODELS_DIR };
    process.env.HEARTH_OFFLINE = "1";
    process.env.HEARTH_MODELS_DIR = cache;
    const printed: string[] = [];
    const original = { error: console.error, write: process.stderr.write };
    console.error = (...parts: unknown[]) => printed.push(parts.join(" "));
    process.stderr.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const code = await main(["eval", "--model", "hf:nobody/missing-GGUF:Q4_K_M", "--limit", "1"]);
      assert.equal(code, 1);
    } finally {
      console.error = original.error;
      process.stderr.write = original.write;
      for (const [key, value] of [
        ["HEARTH_OFFLINE", saved.offline],
        ["HEARTH_MODELS_DIR", saved.dir],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(cache, { recursive: true, force: true });
    }
    const output = printed.join("\n");
    // The loader's message: what is missing, where it looked, why it will not download, what to do.
    assert.match(output, /hf:nobody\/missing-GGUF:Q4_K_M is not in the model cache/);
    assert.ok(output.includes(cache), output);
    assert.match(output, /downloads are turned off .*HEARTH_OFFLINE=1/);
    assert.match(output, /--model <path>/);
    assert.doesNotMatch(output, /Resolving/);
  });
});
