import { type EnumTypeRepairResult, repairEnumTypes, toDeclaredTypes } from "../../tools/index.js";
import { getOrCreate } from "../../util/get-or-create.js";
import type { JsonSchema } from "../suite-format/types.js";

const cache = new WeakMap<JsonSchema, EnumTypeRepairResult>();

/**
 * The same type/enum repair compileTool applies (see repair-enum-type.ts), so the scorer judges a
 * call the way the tool would receive it: `true` and `"True"` for a boolean whose enum lists
 * "True" are one value, in the model's output and in the acceptable answers alike.
 */
export const parameterRepairs = (parameters: JsonSchema): EnumTypeRepairResult =>
  getOrCreate(cache, parameters, () => repairEnumTypes(parameters));

/** One argument's acceptable values in the declared types (BFCL's `""` for "may be omitted" kept). */
export function acceptableInDeclaredTypes(
  name: string,
  acceptable: unknown[],
  { repairs }: EnumTypeRepairResult,
): unknown[] {
  if (!repairs.some((repair) => repair.valuePath?.[0] === name)) return acceptable;
  return acceptable.map((option) =>
    option === ""
      ? option
      : (toDeclaredTypes({ [name]: option }, repairs) as Record<string, unknown>)[name],
  );
}

/** A repaired argument may hold the declared type or, for enum values that spell none, the enum's. */
export function propertyForScoring(
  name: string,
  schema: JsonSchema | undefined,
  { repairs }: EnumTypeRepairResult,
): JsonSchema | undefined {
  const repair = repairs.find((r) => r.valuePath?.length === 1 && r.valuePath[0] === name);
  if (!schema || !repair) return schema;
  return { ...schema, type: [...new Set([...repair.declared, ...repair.widenedTo])] };
}
