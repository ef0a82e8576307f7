import type { LlamaModel, LlamaModelOptions } from "node-llama-cpp";
import type { HardwareProfile } from "../hardware/index.js";
import { getHearthLlama } from "../runtime/index.js";
import { type ModelChoice, type ModelSelection, refineSelectionWithFile } from "../select/index.js";
import { isMemoryError, ModelFileError } from "./errors.js";
import { modelKey, sharedModel } from "./registry.js";
import { type DownloadProgress, type ResolveOptions, resolveModelPath } from "./resolve.js";
import { withStepDown } from "./step-down.js";

export type ModelTarget = ModelSelection | ModelChoice | string;

export type LoadProgress =
  | ({ phase: "download"; uri: string } & DownloadProgress)
  | { phase: "load"; path: string; fraction: number };

export interface LoadModelOptions extends Omit<ResolveOptions, "onDownloadProgress"> {
  onProgress?: (progress: LoadProgress) => void;
  /** For a path or URI: layers on the GPU (default "auto", fitted to `contextSize`). */
  gpuLayers?: LlamaModelOptions["gpuLayers"];
  /** For a path or URI: the context the model will serve, so "auto" leaves room for it. */
  contextSize?: number;
  /** With a selection: re-check its estimate against the real file (GgufInsights). */
  hardware?: HardwareProfile;
}

export interface LoadedModel {
  model: LlamaModel;
  path: string;
  source: "path" | "cache" | "download";
  /** True when this file was already loaded in this process and the same model came back. */
  reused: boolean;
  /** The catalog choice that was loaded (selection targets). */
  choice?: ModelChoice;
  /** Choices that failed to load for lack of memory before `choice`, in order. */
  steppedDownFrom?: ModelChoice[];
  notes: string[];
}

function isChoice(target: ModelTarget): target is ModelChoice {
  return (
    typeof target === "object" && target !== null && "model" in target && "gpuLayers" in target
  );
}

async function loadFile(
  path: string,
  gpuLayers: LlamaModelOptions["gpuLayers"],
  options: LoadModelOptions,
): Promise<{ model: LlamaModel; reused: boolean }> {
  const key = await modelKey(path);
  const shared = sharedModel(key, async () => {
    const llama = await getHearthLlama();
    try {
      return await llama.loadModel({
        modelPath: path,
        gpuLayers,
        loadSignal: options.signal,
        onLoadProgress: options.onProgress
          ? (fraction) => options.onProgress?.({ phase: "load", path, fraction })
          : undefined,
      });
    } catch (error) {
      if (isMemoryError(error) || options.signal?.aborted) throw error;
      throw new ModelFileError(
        "unreadable",
        path,
        `llama.cpp could not load ${path}: ${error instanceof Error ? error.message : String(error)}. The file may be damaged or use an architecture this llama.cpp build does not know; download it again or pick another model.`,
        { cause: error },
      );
    }
  });
  return { model: await shared.model, reused: shared.reused };
}

function downloadReporter(uri: string, options: LoadModelOptions) {
  return options.onProgress
    ? (progress: DownloadProgress) => options.onProgress?.({ phase: "download", uri, ...progress })
    : undefined;
}

/**
 * Resolves and loads a model: a selection (with its step-down alternatives), a single catalog
 * choice, a local GGUF path, or an `hf:` URI. Each file is loaded once per process; a second
 * call for the same file returns the same LlamaModel. When a selection's model fails to load
 * for lack of memory, the next alternative is tried and the result says so
 * (`steppedDownFrom`, `notes`).
 */
export async function loadModel(
  target: ModelTarget,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  if (typeof target === "string") {
    const resolved = await resolveModelPath(target, {
      ...options,
      onDownloadProgress: downloadReporter(target, options),
    });
    const gpuLayers =
      options.gpuLayers ??
      (options.contextSize ? { fitContext: { contextSize: options.contextSize } } : "auto");
    const { model, reused } = await loadFile(resolved.path, gpuLayers, options);
    const notes = reused
      ? [`${resolved.path} was already loaded in this process; reusing it.`]
      : [];
    return { model, path: resolved.path, source: resolved.source, reused, notes };
  }
  if (!isChoice(target)) {
    throw new TypeError(
      "loadModel takes a selection from selectModel(), a GGUF path or an hf: URI.",
    );
  }

  const choices: ModelChoice[] = [target, ...("alternatives" in target ? target.alternatives : [])];
  const refineNotes: string[] = [];
  const result = await withStepDown(choices, async (choice, index) => {
    const resolved = await resolveModelPath(choice.model.uri, {
      ...options,
      onDownloadProgress: downloadReporter(choice.model.uri, options),
    });
    if (index === 0 && options.hardware && "reasons" in target) {
      const refined = await refineSelectionWithFile(target, resolved.path, options.hardware);
      refineNotes.push(refined.reasons.at(-1)!);
    }
    const loaded = await loadFile(resolved.path, choice.gpuLayers, options);
    return { ...loaded, resolved };
  });
  const { model, reused, resolved } = result.value;
  const notes = [...refineNotes, ...result.notes];
  if (reused) notes.push(`${resolved.path} was already loaded in this process; reusing it.`);
  return {
    model,
    path: resolved.path,
    source: resolved.source,
    reused,
    choice: result.choice,
    ...(result.steppedDownFrom.length > 0 ? { steppedDownFrom: result.steppedDownFrom } : {}),
    notes,
  };
}
