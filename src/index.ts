// Hearth's public API: what a LangChain app needs to run an agent on a local model. Everything
// else sits behind subpath exports: hearth/graph, hearth/tools, hearth/models, hearth/eval,
// hearth/bench and hearth/testing (the GGUF writer and the scripted fake chat model).

// The agent graph and its threads.
export {
  type AgentGraph,
  type AgentGraphOptions,
  createAgentGraph,
  openCheckpointer,
  type RunSummary,
  summarizeRun,
} from "./graph/index.js";
// Picking and opening a model for this machine.
export { MODEL_CATALOG } from "./models/catalog/index.js";
// The chat model.
export {
  ChatNodeLlamaCpp,
  type ChatNodeLlamaCppCallOptions,
  type ChatNodeLlamaCppInput,
  type ThinkingOption,
  type ToolChoiceOption,
} from "./models/chat/index.js";
// Embeddings, local: a LangChain Embeddings over the same loader.
export {
  type EmbeddingResult,
  HearthEmbeddings,
  type HearthEmbeddingsInput,
} from "./models/embeddings/index.js";
export { detectHardware, type HardwareProfile } from "./models/hardware/index.js";
export {
  chatModelFromSelection,
  type LoadedModel,
  type LoadModelOptions,
  type LoadProgress,
  loadModel,
  ModelUnavailableError,
} from "./models/load/index.js";
export { type ModelSelection, type SelectOptions, selectModel } from "./models/select/index.js";
// Tools.
export {
  builtinTools,
  compileTools,
  type DefineToolOptions,
  defineTool,
} from "./tools/index.js";
