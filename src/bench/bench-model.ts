import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LlamaModel } from "node-llama-cpp";
import { kvBytesPerToken } from "../models/snapshots/index.js";
import { modelShape, writeTestModel } from "../testing/gguf-writer/index.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEFAULT_BENCH_CACHE = path.join(repoRoot, ".cache", "bench");

export const BENCH_FAMILY = "qwen";

/**
 * The benchmark model: a generated GGUF of a real model's shape (random weights: speed depends
 * on shape, not on the weights' values), written once into the git-ignored cache.
 */
export async function ensureBenchModel(options: {
  shape: string;
  quant: string;
  cacheDir?: string;
  log?: (line: string) => void;
}): Promise<{ file: string; bytes: number; vocabularySize: number }> {
  const shape = modelShape(options.shape);
  const file = path.join(
    options.cacheDir ?? DEFAULT_BENCH_CACHE,
    `${BENCH_FAMILY}-${shape.name}-${options.quant}.gguf`,
  );
  if (!existsSync(file)) {
    options.log?.(`Writing the ${shape.name} ${options.quant} bench model to ${file}…`);
    await writeTestModel({ family: BENCH_FAMILY, shape, quant: options.quant, out: file });
  }
  return { file, bytes: (await stat(file)).size, vocabularySize: shape.vocabularySize };
}

export function parameterCount(model: LlamaModel): number {
  let total = 0;
  for (const tensor of model.fileInfo.tensorInfo ?? []) {
    total += tensor.dimensions.reduce<number>((product, size) => product * Number(size), 1);
  }
  return total;
}

/** Bytes of KV cache per position (F16 keys and values, every layer). */
export const kvBytesPerPosition = (model: LlamaModel): number => kvBytesPerToken(model);
