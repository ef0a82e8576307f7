import { Validator } from "@langchain/core/utils/json_schema";
import { toEnumSpelling } from "../../tools/index.js";
import { getOrCreate } from "../../util/get-or-create.js";
import type { EvalTool, JsonSchema } from "../suite-format/types.js";
import { type EmittedCall, findTool } from "./calls.js";
import { parameterRepairs } from "./enum-repairs.js";

const validators = new WeakMap<JsonSchema, Validator>();

function validatorFor(schema: JsonSchema): Validator {
  // OpenAI-format tool parameters are draft-07 JSON Schema.
  return getOrCreate(
    validators,
    schema,
    () => new Validator(schema as ConstructorParameters<typeof Validator>[0], "7", false),
  );
}

export interface SchemaCheck {
  valid: boolean;
  errors: string[];
}

/** Whether an emitted call names an offered tool and its arguments validate against that tool's JSON Schema. */
export function validateCallSchema(call: EmittedCall, tools: EvalTool[]): SchemaCheck {
  const tool = findTool(tools, call.name);
  if (!tool) return { valid: false, errors: [`unknown tool "${call.name}"`] };
  // A repaired type/enum contradiction is judged as the tool sees it (see enum-repairs.ts).
  const { schema, repairs } = parameterRepairs(
    (tool.function.parameters ?? { type: "object" }) as JsonSchema,
  );
  const result = validatorFor(schema).validate(toEnumSpelling(call.args ?? {}, repairs));
  return {
    valid: result.valid,
    errors: result.errors.map((error) => `${error.instanceLocation}: ${error.error}`),
  };
}
