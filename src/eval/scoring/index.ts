export { checkCall, type EmittedCall, findTool, matchCallSet } from "./calls.js";
export { formatCall, formatCalls, formatExpected, formatExpectedCall } from "./format.js";
export { normalizeToolName, standardizeString } from "./normalize.js";
export {
  checkReferenceCalls,
  type ReferenceCallCheck,
  type ReferenceCallProblem,
  referenceCall,
  renderReferenceCheck,
} from "./reference-calls.js";
export { type SchemaCheck, validateCallSchema } from "./schema-validity.js";
export { type CallScore, scoreCalls } from "./score.js";
export { checkArgumentValue, schemaTypes } from "./values.js";
