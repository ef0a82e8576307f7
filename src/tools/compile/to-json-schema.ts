import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { type InteropZodType, isZodSchemaV4 } from "@langchain/core/utils/types";
import { type $ZodType, toJSONSchema } from "zod/v4/core";
import { ToolDefinitionError } from "../schema/errors.js";
import { isJsonSchemaObject, type JsonSchema } from "../schema/types.js";

/**
 * The JSON Schema of a Zod tool's *input* (what the model must write: fields with defaults are
 * optional), through LangChain's converter so Hearth sees what other LangChain chat models send.
 */
export function zodToToolJsonSchema(schema: InteropZodType, toolName: string): JsonSchema {
  let failure: unknown;
  try {
    const converted = toJsonSchema(schema, { io: "input" });
    if (isJsonSchemaObject(converted)) return converted;
  } catch (error) {
    failure = error;
    // LangChain's input-schema rewrite recurses forever on getter-defined recursive Zod 4
    // schemas; Zod's own converter handles them (as `$ref`s).
    if (error instanceof RangeError && isZodSchemaV4(schema)) {
      try {
        const converted = toJSONSchema(schema as unknown as $ZodType, { io: "input" });
        if (isJsonSchemaObject(converted)) return converted;
      } catch (fallbackError) {
        failure = fallbackError;
      }
    }
  }
  const reason = failure instanceof Error ? failure.message : "it did not produce an object";
  throw new ToolDefinitionError(`its Zod schema cannot be converted to JSON Schema (${reason}).`, {
    toolName,
    fix: "Use JSON-representable types: no z.date(), z.bigint(), z.function() or z.map(); send dates as ISO strings (z.iso.datetime()).",
  });
}
