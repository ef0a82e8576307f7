import { ChatNodeLlamaCpp, type ChatNodeLlamaCppInput } from "../chat/index.js";
import type { ModelSelection } from "../select/index.js";
import { loadModel } from "./load.js";

/**
 * A chat model for `selectModel()`'s choice: loads it (downloading when allowed, stepping down
 * to a smaller alternative when memory runs out) with the selection's context and batch.
 */
export async function chatModelFromSelection(
  selection: ModelSelection,
  options: Omit<ChatNodeLlamaCppInput, "modelPath" | "model"> = {},
): Promise<ChatNodeLlamaCpp> {
  const loaded = await loadModel(selection);
  const choice = loaded.choice ?? selection;
  return new ChatNodeLlamaCpp({
    contextSize: choice.contextSize,
    batchSize: choice.batchSize,
    ...options,
    model: loaded.model,
  });
}
