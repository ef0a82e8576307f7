import type { CheckedAfter, GbnfJsonSchema, GrammarNode, JsonSchema } from "../types.js";

export interface NormalizeOptions {
  toolName: string;
  /**
   * What checks arguments after generation. Zod checks everything its JSON Schema says; the JSON
   * Schema validator ignores formats it does not know, so those must be rejected up front.
   */
  validator: "zod" | "json-schema";
}

export interface NormalizedSchema {
  grammarSchema: GbnfJsonSchema;
  /** Keywords the grammar does not enforce and the validator checks after generation. */
  checkedAfter: CheckedAfter[];
  /**
   * The `oneOf: [T, null]` nodes that stand for optional properties: node-llama-cpp forces every
   * declared property to appear, so a null there means "left out" and is removed before validation.
   */
  optionalWrappers: WeakSet<object>;
}

export const JSON_TYPES = [
  "string",
  "number",
  "integer",
  "boolean",
  "null",
  "object",
  "array",
] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/**
 * One normalisation in progress, as the visitors for each kind of schema (scalars.ts,
 * objects.ts, combinators.ts, refs.ts) see it: they recurse through `node`, report through
 * `fail` and `after`, and share the `$defs` being built.
 */
export interface Normalization {
  readonly root: JsonSchema;
  readonly options: NormalizeOptions;
  /** `$defs` of the grammar schema, by allocated name. */
  readonly defs: Record<string, GrammarNode>;
  /** The `$defs` name given to each referenced JSON pointer fragment. */
  readonly defNames: Map<string, string>;
  /** See NormalizedSchema.optionalWrappers. */
  readonly wrappers: WeakSet<object>;
  node(schema: unknown, path: string): GrammarNode;
  fail(problem: string, path: string, keyword?: string, fix?: string): never;
  /** Records a keyword the validator checks after generation. */
  after(path: string, keyword: string): void;
  checkKeywords(schema: JsonSchema, path: string): void;
  /** Records the validation-only keywords that apply to values of `type`. */
  recordValidation(schema: JsonSchema, type: JsonType, path: string): void;
  recordAllValidation(schema: JsonSchema, path: string): void;
  checkFormatIsValidated(format: unknown, path: string): asserts format is string;
  asObject(schema: unknown, path: string): JsonSchema;
}
