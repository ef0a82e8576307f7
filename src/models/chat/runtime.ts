import {
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaModel,
  type ResolvableChatWrapperTypeName,
  resolveChatWrapper,
} from "node-llama-cpp";
import { loadModel } from "../load/load.js";
import { retainModel } from "../load/registry.js";
import {
  contextThreads,
  getHearthLlama,
  type LoadAwareThreads,
  loadAwareThreads,
} from "../runtime/index.js";
import { type PrefixSnapshotOptions, PrefixSnapshots } from "../snapshots/index.js";
import { guardSampling } from "./sampling-guard.js";
import { SequencePool } from "./sequence-pool.js";
import { chooseChatWrapper, type WrapperChoice } from "./template-choice.js";

export interface ChatRuntime {
  llama: Llama;
  model: LlamaModel;
  ownsModel: boolean;
  context: LlamaContext;
  pool: SequencePool;
  chatWrapper: ChatWrapper;
  /** Where prompts come from (reported in response_metadata). */
  promptFormat: WrapperChoice["promptFormat"] | "given";
  modelFile: string;
  contextSize: number;
  /** Restores a call's system + tools prefix instead of evaluating it; undefined when off. */
  prefixes?: PrefixSnapshots;
  /** Lowers llama.cpp's threads while other processes keep cores busy; undefined when off. */
  threads?: LoadAwareThreads;
}

export interface ChatRuntimeOptions {
  modelPath?: string;
  model?: LlamaModel;
  /** Already checked against Hearth's policy (src/models/context). */
  contextSize: number;
  sequences: number;
  maxQueue: number;
  batchSize?: number;
  gpuLayers?: number | "auto" | "max";
  chatWrapper?: ChatWrapper | ResolvableChatWrapperTypeName | "auto";
  prefixSnapshots?: boolean | PrefixSnapshotOptions;
  adaptiveThreads?: boolean;
}

export { releaseModel } from "../load/registry.js";

/** The wrapper a generated test model names in `hearth.chat_wrapper` (see src/testing/gguf-writer/families.ts). */
function declaredWrapperType(model: LlamaModel): ResolvableChatWrapperTypeName | undefined {
  const metadata = model.fileInfo.metadata as unknown as { hearth?: { chat_wrapper?: string } };
  return metadata.hearth?.chat_wrapper as ResolvableChatWrapperTypeName | undefined;
}

export function resolveWrapper(
  model: LlamaModel,
  option: ChatRuntimeOptions["chatWrapper"],
): { wrapper: ChatWrapper; promptFormat: ChatRuntime["promptFormat"] } {
  if (option !== undefined && typeof option === "object")
    return { wrapper: option, promptFormat: "given" };
  // Llama 3.1's wrapper writes today's date into the system block; pinning it keeps the
  // prompt prefix (and so the KV cache) stable across calls.
  const customWrapperSettings = { "llama3.1": { todayDate: new Date() } };
  const type = option && option !== "auto" ? option : declaredWrapperType(model);
  if (type) {
    const wrapper = resolveChatWrapper({
      type,
      customWrapperSettings,
      fileInfo: model.fileInfo,
      tokenizer: model.tokenizer,
    });
    if (wrapper) return { wrapper, promptFormat: "given" };
  }
  // A real model's file: node-llama-cpp's wrapper where it renders as the model's own template
  // does, the template itself where it does not (see template-choice.ts).
  const choice = chooseChatWrapper(model, resolveChatWrapper(model, { customWrapperSettings }));
  return { wrapper: choice.wrapper, promptFormat: choice.promptFormat };
}

export async function createChatRuntime(options: ChatRuntimeOptions): Promise<ChatRuntime> {
  const llama = await getHearthLlama();
  let model = options.model;
  let modelFile: string | undefined;
  const ownsModel = model === undefined;
  if (!model) {
    if (!options.modelPath) {
      throw new Error("ChatNodeLlamaCpp needs `modelPath` (a GGUF file) or a loaded `model`.");
    }
    // Paths and hf: URIs alike; missing, truncated and non-GGUF files fail with a clear error.
    const loaded = await loadModel(options.modelPath, {
      gpuLayers: options.gpuLayers,
      contextSize: options.contextSize,
    });
    model = loaded.model;
    modelFile = loaded.path;
    retainModel(model);
  }
  // A model trained on less context than asked for gets its own (node-llama-cpp refuses more).
  const contextSize = Math.min(options.contextSize, model.trainContextSize);
  const { wrapper, promptFormat } = resolveWrapper(model, options.chatWrapper);
  const context = await model.createContext({
    contextSize,
    sequences: options.sequences,
    batchSize: options.batchSize,
    threads: contextThreads(model.size),
  });
  guardSampling(context);
  const snapshots = options.prefixSnapshots ?? true;
  const prefixes =
    snapshots === false
      ? undefined
      : new PrefixSnapshots(
          model,
          context,
          {
            // A model passed in loaded has no path we can trust: snapshots stay in memory.
            modelFile,
            gpu: String(llama.gpu),
            llamaCpp: `${llama.llamaCppRelease.release} ${llama.buildType}`,
          },
          snapshots === true ? {} : snapshots,
        );
  return {
    llama,
    model,
    ownsModel,
    context,
    prefixes,
    threads: options.adaptiveThreads === false ? undefined : loadAwareThreads(llama),
    pool: new SequencePool(context, options.maxQueue),
    chatWrapper: wrapper,
    promptFormat,
    modelFile: model.filename ?? options.modelPath ?? "(in-memory model)",
    contextSize: context.contextSize,
  };
}
