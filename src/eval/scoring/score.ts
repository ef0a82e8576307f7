import type { EvalCase, ExpectedCall } from "../suite-format/types.js";
import { type EmittedCall, findTool, matchCallSet } from "./calls.js";
import { normalizeToolName } from "./normalize.js";

export interface CallScore {
  passed: boolean;
  /** Why it failed; absent when it passed. */
  reason?: string;
}

/** Scores the calls a model made for a case against the case's expected answer. */
export function scoreCalls(
  testCase: Pick<EvalCase, "expected" | "tools">,
  got: EmittedCall[],
): CallScore {
  const { expected, tools } = testCase;
  if (expected === "none") {
    if (got.length === 0) return { passed: true };
    return {
      passed: false,
      reason: `no call was expected, got ${got.map((call) => call.name).join(", ")}`,
    };
  }
  if (expected === "any") {
    if (got.length === 0)
      return { passed: false, reason: "a call to one of the tools was expected, got none" };
    const unknown = got.find((call) => !findTool(tools, call.name));
    if (unknown) return { passed: false, reason: `called unknown tool ${unknown.name}` };
    return { passed: true };
  }
  const problems: { set: ExpectedCall[]; problem: string }[] = [];
  for (const set of expected) {
    const problem = matchCallSet(set, got, tools);
    if (problem === null) return { passed: true };
    problems.push({ set, problem });
  }
  // Explain against the acceptable set closest to what was emitted: same functions, else same count.
  const names = (calls: { name: string }[]) =>
    calls
      .map((c) => normalizeToolName(c.name))
      .sort()
      .join(",");
  const reason = (
    problems.find((p) => names(p.set) === names(got)) ??
    problems.find((p) => p.set.length === got.length) ??
    problems[0]
  ).problem;
  return {
    passed: false,
    reason:
      expected.length > 1
        ? `${reason} (and ${expected.length - 1} other acceptable answer${expected.length > 2 ? "s" : ""} did not match)`
        : reason,
  };
}
