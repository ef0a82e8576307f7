// Hearth's public API. One folder per concept; each folder's index.ts is its surface.

// Evaluation.
export {
  builtinSuite,
  describeModelForReport,
  type EvalCase,
  type EvalReport,
  type EvalSuite,
  type EvalSummary,
  importBfcl,
  loadSuite,
  type ModelInfo,
  type RunEvalOptions,
  readBfclFiles,
  runEval,
  scoreCalls,
  validateCallSchema,
  writeReports,
} from "./eval/index.js";
// The agent graph.
export {
  type AgentGraph,
  type AgentGraphOptions,
  AgentState,
  type AgentStateType,
  createAgentGraph,
  DEFAULT_MAX_TOOL_ROUNDS,
  DEFAULT_SYSTEM_PROMPT,
  openCheckpointer,
  RouteDecisionSchema,
  type RunSummary,
  summarizeRun,
  TimedToolNode,
  VerdictSchema,
} from "./graph/index.js";
export {
  type CatalogEntry,
  type CatalogQuant,
  catalogEntry,
  findCatalogEntry,
  MODEL_CATALOG,
  type Quantization,
  type TierName,
} from "./models/catalog/index.js";
export {
  ChatNodeLlamaCpp,
  type ChatNodeLlamaCppCallOptions,
  type ChatNodeLlamaCppInput,
  DeterministicLruCache,
  messagesToChatHistory,
  type ThinkingOption,
  type TokenMeterTotals,
} from "./models/chat/index.js";
export {
  applyHardwareSpec,
  describeHardware,
  detectHardware,
  type GpuBackend,
  type HardwareProfile,
  type HardwareSpec,
  hardwareFromSpec,
} from "./models/hardware/index.js";
export {
  defaultModelsDir,
  describeModelFile,
  type LoadedModel,
  type LoadModelOptions,
  loadModel,
  ModelFileError,
  ModelUnavailableError,
  resolveModelPath,
} from "./models/load/index.js";
// Models: runtime, hardware, catalog, selection, loading, the chat model, test-model writer.
export { chooseThreadCount, contextThreads, getHearthLlama } from "./models/runtime/index.js";
export {
  estimateModelFile,
  type ModelChoice,
  type ModelSelection,
  refineSelectionWithFile,
  type SelectionPolicy,
  type SelectOptions,
  selectModel,
} from "./models/select/index.js";
export {
  CHAT_FAMILIES,
  type ChatFamilyName,
  MODEL_SHAPES,
  type ShapeName,
  type TestModelOptions,
  writeTestModel,
} from "./testing/gguf-writer/index.js";
// Tools: Zod/JSON Schema → grammar, validation, built-ins.
export {
  builtinTools,
  type CompiledTool,
  type CompiledToolSet,
  compileTools,
  createCalculatorTool,
  createCurrentTimeTool,
  createSearchDocumentsTool,
  defineTool,
  executeToolCall,
  getToolCallGrammar,
  KEYWORD_RULES,
  ToolDefinitionError,
  ToolTimeoutError,
} from "./tools/index.js";
