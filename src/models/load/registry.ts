import { realpath } from "node:fs/promises";
import type { LlamaModel } from "node-llama-cpp";

// One LlamaModel per file per process: weights are the largest allocation there is, and
// contexts (one per chat) can share a model.
const models = new Map<string, Promise<LlamaModel>>();

export async function modelKey(path: string): Promise<string> {
  return realpath(path);
}

/** The model already loaded (or loading) from this file, or a new load registered for it. */
export function sharedModel(
  key: string,
  load: () => Promise<LlamaModel>,
): { model: Promise<LlamaModel>; reused: boolean } {
  const existing = models.get(key);
  if (existing) return { model: existing, reused: true };
  const model = load().then(
    (loaded) => {
      loaded.onDispose.createListener(() => {
        if (models.get(key) === model) models.delete(key);
      });
      return loaded;
    },
    (error: unknown) => {
      models.delete(key);
      throw error;
    },
  );
  models.set(key, model);
  return { model, reused: false };
}

export function loadedModelPaths(): string[] {
  return [...models.keys()];
}
