import { toDeclaredTypes } from "../../tools/index.js";
import type { EvalTool, ExpectedCall, JsonSchema } from "../suite-format/types.js";
import { acceptableInDeclaredTypes, parameterRepairs, propertyForScoring } from "./enum-repairs.js";
import { normalizeToolName } from "./normalize.js";
import { checkArgumentValue } from "./values.js";

/** A call as a model emitted it (LangChain `tool_calls` shape, minus the id). */
export interface EmittedCall {
  name: string;
  args: Record<string, unknown>;
}

export function findTool(tools: EvalTool[], name: string): EvalTool | undefined {
  const wanted = normalizeToolName(name);
  return tools.find((tool) => normalizeToolName(tool.function.name) === wanted);
}

/**
 * BFCL's simple-function check of one emitted call against one expected call: the function name,
 * required arguments present, no argument outside the expected ones, each value acceptable, and
 * every argument that may not be omitted present. Returns `null` on a match, else the reason.
 */
export function checkCall(
  expected: ExpectedCall,
  got: EmittedCall,
  tools: EvalTool[],
): string | null {
  if (normalizeToolName(got.name) !== normalizeToolName(expected.name)) {
    return `wrong function: expected ${expected.name}, got ${got.name}`;
  }
  const parameters = (findTool(tools, expected.name)?.function.parameters ?? {}) as JsonSchema;
  const properties = (parameters.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(parameters.required) ? (parameters.required as string[]) : [];
  const repaired = parameterRepairs(parameters);
  const args = toDeclaredTypes(got.args ?? {}, repaired.repairs) as Record<string, unknown>;
  for (const name of required) {
    if (!(name in args)) return `${expected.name}: missing required argument "${name}"`;
  }
  for (const [name, value] of Object.entries(args)) {
    if (!(name in properties) || !(name in expected.arguments)) {
      return `${expected.name}: unexpected argument "${name}"`;
    }
    const acceptable = acceptableInDeclaredTypes(name, expected.arguments[name], repaired);
    const schema = propertyForScoring(name, properties[name], repaired);
    const problem = checkArgumentValue(name, value, acceptable, schema);
    if (problem) return `${expected.name}: ${problem}`;
  }
  for (const [name, acceptable] of Object.entries(expected.arguments)) {
    if (!(name in args) && !acceptable.includes("")) {
      return `${expected.name}: missing argument "${name}" (expected one of ${acceptable.map((v) => JSON.stringify(v)).join(", ")})`;
    }
  }
  return null;
}

/**
 * Matches emitted calls to an expected call set in any order. Unlike BFCL's greedy pass, this
 * searches for a full matching, so an emitted call that fits two expected ones cannot be "used up"
 * by the wrong one.
 */
export function matchCallSet(
  expected: ExpectedCall[],
  got: EmittedCall[],
  tools: EvalTool[],
): string | null {
  if (got.length === 0)
    return `no tool call; expected ${expected.length === 1 ? "1 call" : `${expected.length} calls`}`;
  if (got.length !== expected.length) {
    return `expected ${expected.length} call${expected.length === 1 ? "" : "s"}, got ${got.length}`;
  }
  const problems = expected.map((call) => got.map((emitted) => checkCall(call, emitted, tools)));
  if (expected.length === 1) return problems[0][0];

  // Bipartite matching by augmenting paths; sets are small (a handful of calls).
  const owner: (number | undefined)[] = new Array(got.length).fill(undefined);
  const tryAssign = (e: number, visited: boolean[]): boolean => {
    for (let g = 0; g < got.length; g++) {
      if (problems[e][g] !== null || visited[g]) continue;
      visited[g] = true;
      const current = owner[g];
      if (current === undefined || tryAssign(current, visited)) {
        owner[g] = e;
        return true;
      }
    }
    return false;
  };
  for (let e = 0; e < expected.length; e++) {
    if (!tryAssign(e, new Array(got.length).fill(false))) {
      // Explain with the closest emitted call: same function name if there is one.
      const sameName = got.findIndex(
        (call) => normalizeToolName(call.name) === normalizeToolName(expected[e].name),
      );
      const closest = problems[e][sameName === -1 ? 0 : sameName];
      return `no order of the ${got.length} calls matches: expected call #${e + 1} (${expected[e].name}) has no match; closest: ${closest}`;
    }
  }
  return null;
}
