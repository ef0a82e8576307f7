import { Validator } from "@langchain/core/utils/json_schema";
import { compileTool } from "../../tools/index.js";
import type { EvalSuite, ExpectedCall, JsonSchema } from "../suite-format/types.js";
import type { EmittedCall } from "./calls.js";

const firstAcceptable = (acceptable: unknown[]) => acceptable.find((value) => value !== "");

function materialize(acceptable: unknown[]): unknown {
  const value = firstAcceptable(acceptable);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown[]>)
        .filter(([, options]) => firstAcceptable(options) !== undefined)
        .map(([key, options]) => [key, materialize(options)]),
    );
  }
  return value;
}

/** The call an expected answer describes: the first acceptable value of each argument; `""`-only ones omitted. */
export function referenceCall(expected: ExpectedCall): EmittedCall {
  return {
    name: expected.name,
    args: Object.fromEntries(
      Object.entries(expected.arguments)
        .filter(([, options]) => firstAcceptable(options) !== undefined)
        .map(([key, options]) => [key, materialize(options)]),
    ),
  };
}

export interface ReferenceCallProblem {
  caseId: string;
  tool: string;
  reason: string;
}

export interface ReferenceCallCheck {
  /** Tool definitions in the suite (each case's own). */
  definitions: number;
  /** Definitions compileTool refuses: each isolated with its reason, its siblings still bound. */
  isolated: ReferenceCallProblem[];
  /** Reference calls: every call of each case's first acceptable answer. */
  calls: number;
  /** Calls Hearth's compiled tool validates (grammar-side repairs included). */
  acceptedByHearth: number;
  /** Calls a standard JSON Schema validator (@cfworker/json-schema, draft-07) accepts on the definition as written. */
  acceptedByValidator: number;
  /** Calls the standard validator accepts and Hearth does not. */
  onlyValidatorAccepts: ReferenceCallProblem[];
}

/**
 * Compiles every tool definition of a suite on its own and checks the suite's reference calls
 * both through Hearth and through a standard validator: an importer or compiler that refuses what
 * the data means shows up as `isolated` or `onlyValidatorAccepts`.
 */
export function checkReferenceCalls(suite: EvalSuite): ReferenceCallCheck {
  const result: ReferenceCallCheck = {
    definitions: 0,
    isolated: [],
    calls: 0,
    acceptedByHearth: 0,
    acceptedByValidator: 0,
    onlyValidatorAccepts: [],
  };
  for (const testCase of suite.cases) {
    const compiled = new Map<string, ReturnType<typeof compileTool> | string>();
    for (const tool of testCase.tools) {
      result.definitions++;
      try {
        compiled.set(tool.function.name, compileTool(tool));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        compiled.set(tool.function.name, reason);
        result.isolated.push({ caseId: testCase.id, tool: tool.function.name, reason });
      }
    }
    if (typeof testCase.expected === "string") continue;
    for (const expected of testCase.expected[0] ?? []) {
      const call = referenceCall(expected);
      result.calls++;
      const tool = testCase.tools.find((t) => t.function.name === call.name);
      const parameters = (tool?.function.parameters ?? { type: "object" }) as JsonSchema;
      const standard = new Validator(
        parameters as ConstructorParameters<typeof Validator>[0],
        "7",
        false,
      ).validate(call.args).valid;
      if (standard) result.acceptedByValidator++;
      const own = compiled.get(call.name);
      const check =
        own === undefined
          ? { ok: false as const, error: "no such tool in the case" }
          : typeof own === "string"
            ? { ok: false as const, error: own }
            : own.validate(call.args);
      if (check.ok) result.acceptedByHearth++;
      else if (standard) {
        result.onlyValidatorAccepts.push({
          caseId: testCase.id,
          tool: call.name,
          reason: check.error,
        });
      }
    }
  }
  return result;
}

/** The check as printed by `hearth eval --check-schemas`. */
export function renderReferenceCheck(check: ReferenceCallCheck): string {
  const lines = [
    `Tool definitions: ${check.definitions}, compiled: ${check.definitions - check.isolated.length}, isolated: ${check.isolated.length}`,
    `Reference calls: ${check.calls}; accepted by Hearth: ${check.acceptedByHearth}; by a standard JSON Schema validator (@cfworker/json-schema, draft-07): ${check.acceptedByValidator}`,
  ];
  for (const problem of check.isolated) {
    lines.push(`  isolated ${problem.caseId} ${problem.tool}: ${problem.reason}`);
  }
  for (const problem of check.onlyValidatorAccepts) {
    lines.push(`  only the validator accepts ${problem.caseId} ${problem.tool}: ${problem.reason}`);
  }
  return lines.join("\n");
}
