export { defaultModelsDir } from "./cache-dir.js";
export { chatModelFromSelection } from "./chat-model.js";
export {
  type CheckedModelFile,
  checkModelFile,
  describeModelFile,
  type ModelFileDescription,
} from "./check.js";
export {
  isMemoryError,
  ModelFileError,
  type ModelFileProblem,
  ModelUnavailableError,
} from "./errors.js";
export {
  type LoadedModel,
  type LoadModelOptions,
  type LoadProgress,
  loadModel,
  type ModelTarget,
} from "./load.js";
export { MICRO_MODEL_FILE, MICRO_MODEL_NAME, microModelFile } from "./micro-model.js";
export { loadedModelPaths, releaseModel, retainModel } from "./registry.js";
export {
  type DownloadProgress,
  isModelUri,
  type ResolvedModelPath,
  type ResolveOptions,
  resolveModelPath,
} from "./resolve.js";
export { type SteppedDown, withStepDown } from "./step-down.js";
