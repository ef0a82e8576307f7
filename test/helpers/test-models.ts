import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ChatFamilyName,
  type EmbeddingPooling,
  type ShapeName,
  type TestModelQuant,
  writeTestModel,
} from "../../src/testing/gguf-writer/index.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TEST_MODEL_DIR = path.join(repoRoot, ".cache", "test-models");

// Bump when the writer's output changes, so cached files are regenerated.
const WRITER_REVISION = 1;

export interface TestModelRequest {
  family?: ChatFamilyName;
  shape?: ShapeName;
  quant?: TestModelQuant;
  seed?: number;
  /** An embedding model with this pooling. */
  pooling?: EmbeddingPooling;
}

const pending = new Map<string, Promise<string>>();

/** Path of a generated GGUF, written once into the git-ignored cache and reused by every test. */
export function testModelPath(request: TestModelRequest = {}): Promise<string> {
  const { family = "chatml", shape = "tiny", quant = "q8_0", seed = 42, pooling } = request;
  const kind = pooling ? `-embed-${pooling}` : "";
  const file = path.join(
    TEST_MODEL_DIR,
    `${family}-${shape}-${quant}-s${seed}${kind}-r${WRITER_REVISION}.gguf`,
  );
  let result = pending.get(file);
  if (!result) {
    result = existsSync(file)
      ? Promise.resolve(file)
      : writeTestModel({ family, shape, quant, seed, pooling, out: file }).then(
          (written) => written.path,
        );
    pending.set(file, result);
  }
  return result;
}
