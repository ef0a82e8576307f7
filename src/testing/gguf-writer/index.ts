export { CHAT_FAMILIES, type ChatFamily, type ChatFamilyName, chatFamily } from "./families.js";
export { GgmlType, GgufValueType, LlamaFileType } from "./format.js";
export { encodeGgufHeader, type GgufTensorInfo, type GgufValue } from "./header.js";
export { type ShapeFigures, shapeFigures } from "./shape-arithmetic.js";
export {
  MODEL_SHAPES,
  type ModelShape,
  modelShape,
  SHAPE_INTEGER_FIELDS,
  type ShapeName,
  validateShape,
} from "./shapes.js";
export {
  type ChatFamilyOverrides,
  type EmbeddingPooling,
  type GivenTensor,
  HEARTH_CHAT_WRAPPER_KEY,
  HEARTH_GENERATED_KEY,
  POOLING_TYPES,
  type TestModelOptions,
  type TestModelQuant,
  type WrittenTestModel,
  writeTestModel,
} from "./test-model.js";
export { buildVocabulary, TokenType, type Vocabulary } from "./vocabulary.js";
