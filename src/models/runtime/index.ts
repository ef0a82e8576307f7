export { existingHearthLlama, type GpuChoice, getHearthLlama, threadsInUse } from "./llama.js";
export {
  LoadAwareThreads,
  loadAwareThreads,
  othersBusyCores,
  threadsForLoad,
} from "./load-threads.js";
export { chooseThreadCount, contextThreads, SINGLE_THREAD_MODEL_BYTES } from "./threads.js";
