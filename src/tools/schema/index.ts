export { ToolDefinitionError } from "./errors.js";
export {
  GRAMMAR_FORMATS,
  KEYWORD_RULES,
  type KeywordRule,
  type KeywordSupport,
  VALIDATOR_FORMATS,
} from "./keywords.js";
export {
  type NormalizedSchema,
  type NormalizeOptions,
  normalizeToolSchema,
} from "./normalize/index.js";
export { removeOptionalNulls } from "./optional-nulls.js";
export {
  describeEnumTypeRepair,
  type EnumTypeRepair,
  type EnumTypeRepairResult,
  repairEnumTypes,
  toDeclaredTypes,
  toEnumSpelling,
} from "./repair-enum-type.js";
export {
  type CheckedAfter,
  type GbnfJsonSchema,
  isJsonSchemaObject,
  type JsonSchema,
} from "./types.js";
