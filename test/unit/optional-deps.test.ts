import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Every package a module loads when imported, following its static imports (not `import type`,
 * not dynamic `import()`) through the project's own files.
 */
function packagesLoadedBy(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    const pattern = /^(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;
    for (const [, specifier] of source.matchAll(pattern)) {
      if (specifier.startsWith(".")) {
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts")));
      } else {
        const name = specifier.startsWith("@")
          ? specifier.split("/").slice(0, 2).join("/")
          : specifier.split("/")[0];
        if (!packages.has(name)) packages.set(name, path.relative(root, file));
      }
    }
  };
  visit(path.join(root, entry));
  return packages;
}

describe("optional integrations stay optional", () => {
  it("importing hearth loads neither llamaindex nor the sqlite-vec extension", () => {
    const loaded = packagesLoadedBy("src/index.ts");
    assert.ok(loaded.has("node-llama-cpp"), "the walk follows the imports");
    assert.ok(
      packagesLoadedBy("src/tools/builtins/search-documents/vector-store.ts").has("sqlite-vec"),
      "the walk sees the vector store's own import",
    );
    for (const optional of ["llamaindex", "@llamaindex/core", "sqlite-vec", "@lancedb/lancedb"]) {
      assert.equal(
        loaded.get(optional),
        undefined,
        `${optional} is loaded by ${loaded.get(optional)}`,
      );
    }
  });

  it("hearth/llamaindex is the one entry that loads llamaindex", () => {
    const exports = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).exports;
    assert.ok(packagesLoadedBy(exports["./llamaindex"]).has("llamaindex"));
  });
});
