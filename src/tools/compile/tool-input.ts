import type { ToolDefinition } from "@langchain/core/language_models/base";
import { isOpenAITool } from "@langchain/core/language_models/base";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { type InteropZodType, isInteropZodSchema } from "@langchain/core/utils/types";
import { ToolDefinitionError } from "../schema/errors.js";
import { isJsonSchemaObject, type JsonSchema } from "../schema/types.js";

/** A tool as callers pass it: LangChain tools, OpenAI-format definitions, or plain objects. */
export type ToolLike =
  | StructuredToolInterface
  | ToolDefinition
  | { name: string; description?: string; schema: unknown };

/** Something that can run a tool call (LangChain tools; OpenAI definitions cannot). */
export type RunnableTool = Pick<StructuredToolInterface, "invoke" | "name">;

export interface ToolSpec {
  name: string;
  description: string;
  schema: { kind: "zod"; zod: InteropZodType } | { kind: "json-schema"; json: JsonSchema };
  runnable: RunnableTool | undefined;
}

const EMPTY_PARAMETERS: JsonSchema = { type: "object", properties: {} };

const ACCEPTED =
  'a LangChain tool (tool(), StructuredTool), an OpenAI tool definition { type: "function", function: { name, description, parameters } }, or { name, description, schema }';

/** Reads name, description and schema from any accepted tool shape, with errors that say which. */
export function readToolSpec(tool: unknown, position?: number): ToolSpec {
  const label = position === undefined ? "the tool" : `tool #${position + 1}`;
  if (!isJsonSchemaObject(tool)) {
    throw new ToolDefinitionError(`${label} is ${tool === null ? "null" : typeof tool}.`, {
      fix: `Pass ${ACCEPTED}.`,
    });
  }
  let name: unknown;
  let description: unknown;
  let schema: unknown;
  if (tool.type === "function" && isJsonSchemaObject(tool.function)) {
    name = tool.function.name;
    description = tool.function.description;
    // OpenAI allows leaving out `parameters` for a function that takes none.
    schema = isOpenAITool(tool) ? tool.function.parameters : EMPTY_PARAMETERS;
  } else if ("schema" in tool) {
    name = tool.name;
    description = tool.description;
    schema = tool.schema;
  } else {
    const hint = typeof tool.name === "string" ? ` (named "${tool.name}")` : "";
    throw new ToolDefinitionError(`${label}${hint} is not a tool this runtime understands.`, {
      fix: `Pass ${ACCEPTED}.`,
    });
  }
  if (typeof name !== "string" || name.trim() === "") {
    throw new ToolDefinitionError(`${label} has no name.`, {
      fix: "Give every tool a non-empty `name`; it is how the model calls it.",
    });
  }
  if (description !== undefined && typeof description !== "string") {
    throw new ToolDefinitionError("`description` must be a string.", { toolName: name });
  }
  const runnable =
    typeof (tool as { invoke?: unknown }).invoke === "function"
      ? (tool as unknown as RunnableTool)
      : undefined;
  const spec = { name, description: description ?? "", runnable };
  if (isInteropZodSchema(schema)) return { ...spec, schema: { kind: "zod", zod: schema } };
  if (isJsonSchemaObject(schema)) return { ...spec, schema: { kind: "json-schema", json: schema } };
  throw new ToolDefinitionError(
    `its schema is ${schema === null ? "null" : typeof schema}, not a Zod schema or a JSON Schema object.`,
    {
      toolName: name,
      fix: 'Use z.object({ ... }) or { type: "object", properties: { ... } }.',
    },
  );
}
