export {
  type Budgets,
  budgetsFor,
  CPU_MEMORY_BANDWIDTH_CAP,
  CPU_TARGET_TOKENS_PER_SECOND,
  CPU_WEIGHT_BYTES_PER_SECOND_PER_CORE,
  RAM_RESERVE_FIXED_BYTES,
  RAM_RESERVE_FRACTION,
  VRAM_RESERVE_FIXED_BYTES,
  VRAM_RESERVE_FRACTION,
} from "./budget.js";
export {
  DEFAULT_EMBEDDING_PLAN_CONTEXT,
  type EmbeddingPlan,
  planEmbedding,
} from "./embedding.js";
export {
  architectureFromGguf,
  estimateModelFile,
  type FileEstimate,
  type FileEstimateOptions,
  refineSelectionWithFile,
} from "./from-file.js";
export {
  DEFAULT_BATCH_SIZE,
  estimateMemory,
  graphBytes,
  kvCacheBytes,
  type MemoryEstimate,
  outputBufferBytes,
} from "./memory.js";
export type { Offload, Placement } from "./plan.js";
export { selectModel } from "./select.js";
export {
  type ModelChoice,
  type ModelSelection,
  SELECTION_POLICIES,
  type SelectionEstimate,
  type SelectionPolicy,
  type SelectOptions,
} from "./types.js";
