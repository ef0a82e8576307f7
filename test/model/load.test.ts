import assert from "node:assert/strict";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { InsufficientMemoryError, type LlamaModel } from "node-llama-cpp";
import { MODEL_CATALOG } from "../../src/models/catalog/index.js";
import { hardwareFromSpec } from "../../src/models/hardware/index.js";
import {
  defaultModelsDir,
  describeModelFile,
  loadModel,
  ModelFileError,
  ModelUnavailableError,
  resolveModelPath,
  withStepDown,
} from "../../src/models/load/index.js";
import { estimateModelFile, type ModelChoice, selectModel } from "../../src/models/select/index.js";
import { testModelPath } from "../helpers/test-models.js";

const scratch = path.join(os.tmpdir(), `hearth-load-test-${process.pid}`);
const cacheDir = path.join(scratch, "models");
const loaded = new Set<LlamaModel>();
const URI = "hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf";
// node-llama-cpp's cache name for that URI.
const CACHED_NAME = "hf_Qwen_Qwen3-0.6B-Q8_0.gguf";

let tinyModel: string;

before(async () => {
  await mkdir(cacheDir, { recursive: true });
  tinyModel = await testModelPath({ family: "qwen", shape: "tiny" });
});

after(async () => {
  for (const model of loaded) await model.dispose();
  await rm(scratch, { recursive: true, force: true });
});

function track<T extends { model: LlamaModel }>(result: T): T {
  loaded.add(result.model);
  return result;
}

/** A localhost port nothing listens on: connecting fails at once, as with no network. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("estimate of a real file vs node-llama-cpp's GgufInsights", () => {
  // Tolerance: the context part (KV cache + compute buffers) within 2%; the total within 5%
  // (Hearth counts the whole file as weights, GgufInsights only the tensors, so the file's
  // vocabulary and metadata make up the difference).
  for (const shape of ["tiny", "small"] as const) {
    for (const contextSize of [4096, 8192]) {
      it(`${shape} model at ${contextSize} tokens, all on the CPU`, async () => {
        const file = await testModelPath({ family: "qwen", shape });
        const estimate = await estimateModelFile(file, { contextSize, gpuLayers: 0 });
        assert.equal(estimate.source, "gguf-insights");
        const ours = estimate.arithmetic;
        const theirs = estimate.insights;
        const ourContext = ours.kvCacheBytes + ours.computeBytes;
        const theirContext = theirs.context.cpuRam + theirs.context.gpuVram;
        assert.ok(
          Math.abs(ourContext - theirContext) / theirContext < 0.02,
          `context: ours ${ourContext}, GgufInsights ${theirContext}`,
        );
        assert.ok(
          Math.abs(ours.totalBytes - theirs.totalBytes) / theirs.totalBytes < 0.05,
          `total: ours ${ours.totalBytes}, GgufInsights ${theirs.totalBytes}`,
        );
        assert.ok(ours.weightsBytes >= theirs.model.cpuRam, "the file holds at least its tensors");
      });
    }
  }

  it("reads the architecture numbers from the header", async () => {
    const estimate = await estimateModelFile(
      await testModelPath({ family: "qwen", shape: "small" }),
    );
    assert.deepEqual(
      {
        layers: estimate.architecture.layers,
        kvHeads: estimate.architecture.kvHeads,
        headDim: estimate.architecture.headDim,
        vocab: estimate.architecture.vocabSize,
      },
      { layers: 4, kvHeads: 4, headDim: 32, vocab: 32768 },
    );
  });
});

describe("loadModel", () => {
  it("loads a local generated file offline, once per file", async () => {
    const first = track(await loadModel(tinyModel, { download: false }));
    const second = track(await loadModel(tinyModel, { download: false }));
    assert.equal(first.source, "path");
    assert.equal(first.reused, false);
    assert.equal(second.reused, true);
    assert.equal(second.model, first.model, "the same file gives the same LlamaModel");
    assert.ok(second.notes.some((note) => note.includes("already loaded")));
    // The same file under another name is still one model.
    const link = path.join(scratch, "alias.gguf");
    await rm(link, { force: true });
    await (await import("node:fs/promises")).symlink(tinyModel, link);
    assert.equal((await loadModel(link)).model, first.model);
  });

  it("loads an hf: URI from the cache folder with no network", async () => {
    await copyFile(tinyModel, path.join(cacheDir, CACHED_NAME));
    const result = track(await loadModel(URI, { cacheDir, download: false }));
    assert.equal(result.source, "cache");
    assert.equal(result.path, path.join(cacheDir, CACHED_NAME));
    assert.equal(result.model.fileInfo.metadata.general.architecture, "qwen3");
  });

  it("loads a selection from the cache and reports the choice", async () => {
    const machine = hardwareFromSpec({ gpu: "none", ramGiB: 16, cores: 2 });
    const selection = selectModel(machine, { prefer: "qwen3-0.6b" });
    assert.equal(selection.model.uri, URI, selection.summary);
    const result = track(
      await loadModel(selection, {
        cacheDir,
        download: false,
        hardware: machine,
      }),
    );
    assert.equal(result.choice?.tier, "qwen3-0.6b");
    assert.equal(result.steppedDownFrom, undefined);
    assert.ok(
      result.notes.some((note) => note.includes("GgufInsights")),
      result.notes.join("\n"),
    );
  });

  it("an hf: URI that is not cached fails fast offline, naming the URI, the cache folder and --model", async () => {
    const emptyCache = path.join(scratch, "empty-cache");
    const offline = loadModel("hf:Qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf", {
      cacheDir: emptyCache,
      download: false,
    });
    await assert.rejects(offline, (error: unknown) => {
      assert.ok(error instanceof ModelUnavailableError);
      assert.ok(error.message.includes("hf:Qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf"));
      assert.ok(error.message.includes(emptyCache));
      assert.ok(error.message.includes("--model <path>"));
      assert.ok(error.message.includes("hf_Qwen_Qwen3-8B-Q4_K_M.gguf"));
      return true;
    });
    // Downloads allowed but the network is down: one failed probe, not minutes of retries.
    const port = await closedPort();
    await assert.rejects(
      loadModel("hf:Qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf", {
        cacheDir: emptyCache,
        endpoint: `http://127.0.0.1:${port}/`,
      }),
      (error: unknown) => {
        assert.ok(error instanceof ModelUnavailableError);
        assert.match(error.message, /unreachable/);
        assert.ok(error.message.includes(emptyCache) && error.message.includes("--model <path>"));
        return true;
      },
    );
  });

  it("missing, non-GGUF, empty and truncated files fail with a clear error", async () => {
    const bytes = await readFile(tinyModel);
    const files = {
      missing: path.join(scratch, "missing.gguf"),
      text: path.join(scratch, "readme.gguf"),
      empty: path.join(scratch, "empty.gguf"),
      headerCut: path.join(scratch, "header-cut.gguf"),
      dataCut: path.join(scratch, "data-cut.gguf"),
    };
    await writeFile(files.text, "# not a model\n");
    await writeFile(files.empty, "");
    await writeFile(files.headerCut, bytes.subarray(0, 512));
    await writeFile(files.dataCut, bytes.subarray(0, bytes.length - 1000));
    const expected: Record<keyof typeof files, [string, RegExp]> = {
      missing: ["missing", /not found.*--model <path>/],
      text: ["not-gguf", /not a GGUF model file/],
      empty: ["truncated", /empty/],
      headerCut: ["truncated", /truncated/],
      dataCut: ["truncated", /truncated: it has \d+ bytes but its tensors need \d+/],
    };
    for (const [name, file] of Object.entries(files) as [keyof typeof files, string][]) {
      await assert.rejects(loadModel(file), (error: unknown) => {
        assert.ok(error instanceof ModelFileError, `${name}: ${error}`);
        assert.equal(error.problem, expected[name][0], name);
        assert.match(error.message, expected[name][1]);
        assert.ok(error.message.includes(file), name);
        return true;
      });
    }
    // The process is still fine: a good file still loads.
    assert.ok((await loadModel(tinyModel)).model);
  });

  it("describeModelFile gives the GGUF's architecture, name, file type and size", async () => {
    const description = await describeModelFile(tinyModel);
    assert.equal(description.architecture, "qwen3");
    assert.equal(description.fileType, "MOSTLY_Q8_0");
    assert.equal(description.quantization, "Q8_0");
    assert.equal(description.sizeBytes, (await readFile(tinyModel)).length);
    assert.ok(description.name?.includes("Hearth test model"));
    assert.equal(description.hasChatTemplate, true);
    assert.equal(description.numbers.layers, 2);
  });

  it("after dispose, the next load of the file is a fresh model", async () => {
    const first = await loadModel(tinyModel);
    await first.model.dispose();
    loaded.delete(first.model);
    const again = track(await loadModel(tinyModel));
    assert.equal(again.reused, false);
    assert.notEqual(again.model, first.model);
  });

  it("every catalog URI is an exact-file hf: URI node-llama-cpp understands", async () => {
    const emptyCache = path.join(scratch, "empty-cache");
    for (const entry of MODEL_CATALOG) {
      for (const quant of entry.quantizations) {
        await assert.rejects(
          resolveModelPath(quant.uri, { cacheDir: emptyCache, download: false }),
          (error: unknown) => {
            assert.ok(error instanceof ModelUnavailableError, String(error));
            assert.match(
              error.message,
              new RegExp(`as hf_[\\w.-]*${quant.file.replace(/\./g, "\\.")}`),
            );
            return true;
          },
        );
      }
    }
  });

  it("the cache folder defaults to ~/.cache/hearth/models and follows HEARTH_MODELS_DIR", () => {
    assert.equal(defaultModelsDir({}), path.join(os.homedir(), ".cache", "hearth", "models"));
    assert.equal(defaultModelsDir({ HEARTH_MODELS_DIR: "/srv/models" }), "/srv/models");
  });
});

describe("stepping down on memory failures", () => {
  const selection = selectModel(
    hardwareFromSpec({ gpu: "cuda", vramGiB: 12, ramGiB: 32, cores: 6 }),
  );
  const choices: ModelChoice[] = [selection, ...selection.alternatives];

  it("moves to the next alternative when a load runs out of memory, and says so", async () => {
    const result = await withStepDown(choices, async (choice, index) => {
      if (index < 2) throw new InsufficientMemoryError("Not enough VRAM to fit the model");
      return choice.tier;
    });
    assert.equal(result.value, choices[2].tier);
    assert.deepEqual(
      result.steppedDownFrom.map((choice) => choice.tier),
      [choices[0].tier, choices[1].tier],
    );
    assert.ok(result.notes.at(-1)?.startsWith("Stepped down to"));
  });

  it("does not step down for other errors, and gives up with advice when nothing fits", async () => {
    await assert.rejects(
      withStepDown(choices, async () => {
        throw new ModelFileError("truncated", "/x.gguf", "/x.gguf is truncated");
      }),
      ModelFileError,
    );
    await assert.rejects(
      withStepDown(choices, async () => {
        throw new Error(
          "ggml_backend_cuda_buffer_type_alloc_buffer: failed to allocate 4096 MiB: cudaMalloc failed: out of memory",
        );
      }),
      /any smaller alternative for lack of memory.*--model <path>/s,
    );
  });
});
