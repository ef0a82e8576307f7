import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every module specifier a file imports (static, dynamic and re-exports), resolved to a path under src. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, "utf8");
  const specifiers = [
    ...text.matchAll(/\bfrom\s+"([^"]+)"/g),
    ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ...text.matchAll(/^\s*import\s+"([^"]+)"/gm),
  ].map((match) => match[1]);
  return specifiers
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => path.relative(SRC, path.resolve(path.dirname(file), specifier)));
}

/** Files under `layer` that import anything under one of `forbidden` (folders relative to src). */
async function backEdges(layer: string, forbidden: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await sourceFiles(path.join(SRC, layer))) {
    for (const target of await importsOf(file)) {
      if (forbidden.some((folder) => target === folder || target.startsWith(`${folder}/`)))
        found.push(`${path.relative(SRC, file)} imports ${target}`);
    }
  }
  return found;
}

describe("layers: imports point down the architecture table", () => {
  it("finds an import it is looking for (the scanner itself works)", async () => {
    const edges = await backEdges("app", ["models/load"]);
    assert.ok(
      edges.some((edge) => edge.startsWith("app/local-chat-model.ts imports models/load")),
      edges.join("\n"),
    );
  });

  it("src/graph never loads a model: no file imports src/models/load (or the app layer)", async () => {
    assert.deepEqual(await backEdges("graph", ["models/load", "app", "cli"]), []);
  });

  it("each layer imports only from the layers below it (the README's architecture table)", async () => {
    // Lowest first, as in the README.
    const layers = [
      "util",
      "tools",
      "models",
      "graph",
      "testing",
      "micro",
      "eval",
      "bench",
      "adapters",
      "app",
      "serve",
      "cli",
    ];
    const found: string[] = [];
    for (const [index, layer] of layers.entries())
      found.push(...(await backEdges(layer, layers.slice(index + 1))));
    assert.deepEqual(found, []);
  });
});
