import { ChatNodeLlamaCpp } from "../models/chat/index.js";
import { checkContextSize } from "../models/context/index.js";
import { detectHardware, type HardwareProfile } from "../models/hardware/index.js";
import {
  type LoadedModel,
  type LoadProgress,
  loadModel,
  ModelUnavailableError,
} from "../models/load/index.js";
import { selectModel } from "../models/select/index.js";

export interface LocalChatModelOptions {
  /** A GGUF path or an `hf:` URI; when absent the model is picked for this machine. */
  model?: string;
  contextSize?: number;
  /** Tokens per reply. */
  maxTokens?: number;
  /** Concurrent generations (context sequences) and how many may wait; see ChatNodeLlamaCpp. */
  sequences?: number;
  maxQueue?: number;
  onProgress?: (progress: LoadProgress) => void;
}

export interface LocalChatModel {
  chat: ChatNodeLlamaCpp;
  loaded: LoadedModel;
  /** One line saying which model runs and why (the selection's summary, or the file given). */
  description: string;
  /** The machine the model was selected for (absent when a file was given). */
  hardware?: HardwareProfile;
}

/**
 * The chat model the CLI and the Studio entry run: the file or URI given, else the model
 * `selectModel` picks for this machine's hardware (downloaded into the cache when missing and
 * online). Offline with nothing cached it fails naming the tier it wanted, the cache folder
 * and `--model`.
 */
export async function openLocalChatModel(
  options: LocalChatModelOptions = {},
): Promise<LocalChatModel> {
  // Checked before anything loads: an out-of-range --context fails at once, not after the load.
  const contextSize = checkContextSize(options.contextSize);
  let loaded: LoadedModel;
  let description: string;
  let hardware: HardwareProfile | undefined;
  if (options.model) {
    loaded = await loadModel(options.model, { contextSize, onProgress: options.onProgress });
    description = loaded.path;
  } else {
    hardware = await detectHardware();
    const selection = selectModel(hardware, { contextSize });
    try {
      loaded = await loadModel(selection, { hardware, onProgress: options.onProgress });
    } catch (error) {
      if (!(error instanceof ModelUnavailableError)) throw error;
      throw new Error(
        `This machine's model is the ${selection.tier} tier (${selection.summary}). ${error.message} For LangGraph Studio, set HEARTH_MODEL=<path>.`,
        { cause: error },
      );
    }
    description = loaded.choice?.summary ?? selection.summary;
  }
  const chat = new ChatNodeLlamaCpp({
    model: loaded.model,
    contextSize,
    ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
    ...(options.sequences !== undefined ? { sequences: options.sequences } : {}),
    ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
  });
  return { chat, loaded, description, hardware };
}
