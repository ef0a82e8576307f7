export { existingHearthLlama, type GpuChoice, getHearthLlama, threadsInUse } from "./llama.js";
export { chooseThreadCount, contextThreads, SINGLE_THREAD_MODEL_BYTES } from "./threads.js";
