export type { NormalizedSchema, NormalizeOptions } from "./context.js";
export { normalizeToolSchema } from "./normalizer.js";
