import { getLlama, type Llama, type LlamaOptions } from "node-llama-cpp";
import { chooseThreadCount } from "./threads.js";

export type GpuChoice = "auto" | false | "cuda" | "vulkan" | "metal";

let shared: Promise<Llama> | undefined;
let sharedGpu: GpuChoice | undefined;

function gpuFromEnv(): GpuChoice {
  const value = process.env.HEARTH_GPU;
  if (value === undefined || value === "" || value === "auto") return "auto";
  if (value === "none" || value === "false" || value === "cpu") return false;
  if (value === "cuda" || value === "vulkan" || value === "metal") return value;
  throw new Error(`HEARTH_GPU must be one of auto, none, cuda, vulkan, metal; got "${value}".`);
}

/**
 * The one `Llama` instance of the process. Every use of node-llama-cpp goes through here so
 * the thread count always comes from the detected cores (never node-llama-cpp's default of 4).
 */
export function getHearthLlama(options: { gpu?: GpuChoice } = {}): Promise<Llama> {
  const gpu = options.gpu ?? gpuFromEnv();
  if (shared && sharedGpu === gpu) return shared;
  if (shared && sharedGpu !== gpu) {
    throw new Error(
      `The llama.cpp runtime is already loaded with gpu=${String(sharedGpu)}; one process can use one backend. Asked for gpu=${String(gpu)}.`,
    );
  }
  const llamaOptions: LlamaOptions = {
    gpu,
    maxThreads: chooseThreadCount(),
    // Prebuilt binaries only: building llama.cpp from source needs the network and minutes.
    build: "never",
    logLevel: "error" as LlamaOptions["logLevel"],
    progressLogs: false,
  };
  sharedGpu = gpu;
  shared = getLlama(llamaOptions).catch((error: unknown) => {
    shared = undefined;
    sharedGpu = undefined;
    throw error;
  });
  return shared;
}

/** The process's `Llama` if something already created it; never starts one (monitoring asks this). */
export function existingHearthLlama(): Promise<Llama> | undefined {
  return shared;
}

export function threadsInUse(llama: Llama): number {
  return llama.maxThreads;
}
