export { type GpuChoice, getHearthLlama, threadsInUse } from "./llama.js";
export { chooseThreadCount } from "./threads.js";
