// Hearth Micro: the small model this repository trains on prompts Hearth renders.
export {
  MICRO_DISPLAY_NAME,
  type MicroModelOptions,
  microShape,
  writeMicroModel,
} from "./model-file.js";
export { QWEN2_5_CHAT_TEMPLATE } from "./qwen2.5-chat-template.js";
export * from "./vocabulary/index.js";
export { type MicroWeights, readMicroWeights } from "./weights-file.js";
