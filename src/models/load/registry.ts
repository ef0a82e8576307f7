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

// Users of each shared model (chat models, embeddings): the last one to let go disposes it, so
// a chat model and an embeddings instance over the same file never free each other's weights.
const users = new Map<LlamaModel, number>();

/** Counts one more user of a model that `loadModel` returned. */
export function retainModel(model: LlamaModel): void {
  users.set(model, (users.get(model) ?? 0) + 1);
}

/** Counts one user less; the last one disposes the model (and so removes it from the registry). */
export async function releaseModel(model: LlamaModel): Promise<void> {
  const remaining = (users.get(model) ?? 1) - 1;
  if (remaining > 0) {
    users.set(model, remaining);
    return;
  }
  users.delete(model);
  if (!model.disposed) await model.dispose();
}
