import { stat } from "node:fs/promises";
import { HEARTH_GENERATED_KEY } from "../testing/gguf-writer/index.js";
import type { ModelInfo } from "./runner/types.js";

// Tokenizer tables are huge and say nothing about the model's identity.
const SKIPPED_KEYS = [
  "tokenizer.ggml.tokens",
  "tokenizer.ggml.scores",
  "tokenizer.ggml.token_type",
  "tokenizer.ggml.merges",
];

/** Nested GGUF metadata as flat dotted keys; long arrays are summarised. */
export function flattenMetadata(
  value: unknown,
  prefix = "",
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value))
      flattenMetadata(item, prefix ? `${prefix}.${key}` : key, out);
  } else if (Array.isArray(value) && value.length > 16) {
    out[prefix] = `[${value.length} items]`;
  } else if (typeof value === "bigint") {
    out[prefix] = Number(value);
  } else {
    out[prefix] = value;
  }
  return out;
}

/** File, size and GGUF metadata of a model for the report; flags files Hearth generated with random weights. */
export async function describeModelForReport(path: string): Promise<ModelInfo> {
  const { readGgufFileInfo } = await import("node-llama-cpp");
  const info = await readGgufFileInfo(path, {
    readTensorInfo: false,
    ignoreKeys: SKIPPED_KEYS,
    logWarnings: false,
  });
  const metadata = flattenMetadata(info.metadata);
  const model: ModelInfo = {
    file: path,
    sizeBytes: (await stat(path)).size,
    metadata,
    randomWeights: metadata[HEARTH_GENERATED_KEY] === true,
  };
  if (typeof metadata["general.name"] === "string") model.name = metadata["general.name"];
  return model;
}
