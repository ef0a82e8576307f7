import type { GbnfJsonSchema } from "node-llama-cpp";

/** A JSON Schema object (the boolean forms `true`/`false` are handled where they may appear). */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * A node being built for node-llama-cpp. Kept loose while building and cast to `GbnfJsonSchema`
 * once complete, because its recursive generic types cannot follow incremental construction.
 */
export type GrammarNode = { [keyword: string]: unknown };

export type { GbnfJsonSchema };

/** A keyword the grammar cannot express, left to the validator that runs after generation. */
export interface CheckedAfter {
  /** JSON Pointer into the tool's JSON Schema, e.g. `#/properties/email`. */
  path: string;
  keyword: string;
}

export function isJsonSchemaObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
