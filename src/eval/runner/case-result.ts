import {
  type EmittedCall,
  formatCalls,
  formatExpected,
  validateCallSchema,
} from "../scoring/index.js";
import type { EvalCase } from "../suite-format/types.js";
import type { CaseResult } from "./types.js";

const MAX_TEXT = 400;

/** LangChain's `invalid_tool_calls` entry: a call whose arguments were not valid JSON. */
export interface InvalidCall {
  name?: string;
  args?: string;
  error?: string;
}

export const shorten = (text: string, max = MAX_TEXT) =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** Fields every case result shares: the readable expected/got and the schema check of each emitted call. */
export function baseResult(testCase: EvalCase, calls: EmittedCall[], invalid: InvalidCall[] = []) {
  const invalidCalls = invalid.length;
  const schemaErrors: string[] = [];
  let schemaValidCalls = 0;
  for (const call of calls) {
    const check = validateCallSchema(call, testCase.tools);
    if (check.valid) schemaValidCalls++;
    else schemaErrors.push(`${call.name}: ${check.errors.join("; ")}`);
  }
  for (const call of invalid) {
    const raw = call.args === undefined ? "" : ` (raw: ${JSON.stringify(shorten(call.args, 120))})`;
    schemaErrors.push(
      `${call.name ?? "unnamed call"}: arguments did not parse${call.error ? `: ${call.error}` : ""}${raw}`,
    );
  }
  const result: Pick<
    CaseResult,
    "id" | "category" | "expected" | "got" | "calls" | "invalidCalls" | "schemaValidCalls"
  > & {
    schemaErrors?: string[];
  } = {
    id: testCase.id,
    category: testCase.category,
    expected: formatExpected(testCase.expected),
    got: formatCalls(calls) + (invalidCalls > 0 ? ` (+${invalidCalls} unparseable)` : ""),
    calls,
    invalidCalls,
    schemaValidCalls,
  };
  if (schemaErrors.length > 0) result.schemaErrors = schemaErrors;
  return result;
}

/** A case whose tools could not be bound: it never reached the model, so it has no latency. */
export class BindError extends Error {
  override name = "BindError";
}

/** A case that threw: recorded as a failure with the error, never allowed to stop the run. */
export function errorResult(testCase: EvalCase, error: unknown, latencyMs: number): CaseResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ...baseResult(testCase, []),
    got: "error",
    passed: false,
    reason: `error: ${shorten(message, 300)}`,
    rounds: 0,
    latencyMs,
    error: message,
    failedAt: error instanceof BindError ? "bind" : "call",
  };
}
