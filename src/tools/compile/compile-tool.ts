import { getOrCreate } from "../../util/get-or-create.js";
import { normalizeToolSchema } from "../schema/index.js";
import { removeOptionalNulls } from "../schema/optional-nulls.js";
import {
  type EnumTypeRepair,
  repairEnumTypes,
  toDeclaredTypes,
  toEnumSpelling,
} from "../schema/repair-enum-type.js";
import type { CheckedAfter, GbnfJsonSchema, JsonSchema } from "../schema/types.js";
import { zodToToolJsonSchema } from "./to-json-schema.js";
import { type RunnableTool, readToolSpec, type ToolLike } from "./tool-input.js";
import {
  type ArgumentCheck,
  jsonSchemaArgumentCheck,
  type ValidationResult,
  zodArgumentCheck,
} from "./validate.js";

/** One tool, ready for grammar-constrained calls; independent of the set it is used in. */
export interface CompiledToolSchema {
  /** The tool's own name, as the caller gave it. */
  readonly name: string;
  readonly description: string;
  /** The full JSON Schema of the arguments (what the validator enforces). */
  readonly jsonSchema: JsonSchema;
  /** What node-llama-cpp generates: the enforceable part of `jsonSchema`, normalised. */
  readonly grammarSchema: GbnfJsonSchema;
  /**
   * `{ type, enum }` nodes whose enum holds no value of the type, widened to the enum's types
   * (plain JSON Schema tools only; see repair-enum-type.ts). Empty for well-formed schemas.
   */
  readonly repairs: readonly EnumTypeRepair[];
  /** Keywords left to `validate` because the grammar cannot express them. */
  readonly checkedAfter: readonly CheckedAfter[];
  /** Who checks arguments: the tool's Zod schema, or a JSON Schema validator. */
  readonly validator: "zod" | "json-schema";
  /** The tool as passed in. */
  readonly source: ToolLike;
  /** The tool when it can run (LangChain tools); undefined for OpenAI-format definitions. */
  readonly runnable: RunnableTool | undefined;
  /** Removes the nulls the grammar writes for left-out optional properties. */
  fromModel(args: unknown): unknown;
  /**
   * Checks arguments against the real schema after `fromModel`. On success `value` holds the
   * arguments to put in the tool call (input form: tools parse them again when they run).
   */
  validate(args: unknown): ValidationResult;
}

const cache = new WeakMap<object, CompiledToolSchema>();

/** Compiles one tool, cached by the tool object's identity. */
export function compileTool(tool: ToolLike, position?: number): CompiledToolSchema {
  return getOrCreate(cache, tool, () => buildCompiledTool(tool, position));
}

function buildCompiledTool(tool: ToolLike, position?: number): CompiledToolSchema {
  const spec = readToolSpec(tool, position);
  const jsonSchema =
    spec.schema.kind === "zod" ? zodToToolJsonSchema(spec.schema.zod, spec.name) : spec.schema.json;
  const validator = spec.schema.kind;
  // Zod cannot declare an enum against its own type; hand-written JSON Schema often does.
  const { schema: effective, repairs } =
    validator === "json-schema" ? repairEnumTypes(jsonSchema) : { schema: jsonSchema, repairs: [] };
  const normalized = normalizeToolSchema(effective, { toolName: spec.name, validator });
  const check: ArgumentCheck =
    spec.schema.kind === "zod"
      ? zodArgumentCheck(spec.schema.zod)
      : jsonSchemaArgumentCheck(effective);
  const fromModel = (args: unknown) =>
    removeOptionalNulls(args, normalized.grammarSchema, normalized.optionalWrappers);
  const compiled: CompiledToolSchema = {
    name: spec.name,
    description: spec.description,
    jsonSchema,
    grammarSchema: normalized.grammarSchema,
    repairs,
    checkedAfter: normalized.checkedAfter,
    validator,
    source: tool,
    runnable: spec.runnable,
    fromModel,
    validate(args) {
      // Checked in the enum's spelling (what the widened schema lists), handed on in the declared types.
      const result = check(toEnumSpelling(fromModel(args), repairs));
      return result.ok
        ? { ok: true, value: toDeclaredTypes(result.value, repairs) }
        : { ok: false, error: `Invalid arguments for tool "${spec.name}": ${result.error}` };
    },
  };
  return compiled;
}
