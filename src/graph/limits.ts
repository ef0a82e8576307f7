import { checkNumberOption } from "../util/number-range.js";

export const DEFAULT_MAX_TOOL_ROUNDS = 3;
/** Past a hundred rounds a turn is a loop, not a plan. */
export const MAX_TOOL_ROUNDS = 100;
// setTimeout fires at once for delays above 2^31 - 1 ms, which would time every call out.
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** The marker that says a result was cut needs room of its own. */
export const MIN_TOOL_RESULT_CHARS = 200;

export interface NumericGraphOptions {
  maxToolRounds?: number;
  toolTimeoutMs?: number;
  maxToolResultChars?: number;
  threadWaitMs?: number;
}

/** Every numeric option of `createAgentGraph`, checked before anything is built, in one wording. */
export function checkGraphNumbers(options: NumericGraphOptions): void {
  checkNumberOption("maxToolRounds", options.maxToolRounds, {
    integer: true,
    min: 1,
    max: MAX_TOOL_ROUNDS,
  });
  checkNumberOption("toolTimeoutMs", options.toolTimeoutMs, {
    integer: true,
    min: 1,
    max: MAX_TIMEOUT_MS,
  });
  checkNumberOption("maxToolResultChars", options.maxToolResultChars, {
    integer: true,
    min: MIN_TOOL_RESULT_CHARS,
  });
  checkNumberOption("threadWaitMs", options.threadWaitMs, {
    integer: true,
    min: 0,
    max: MAX_TIMEOUT_MS,
  });
}

/**
 * Supersteps one turn can take at most: route, the agent once per round plus the answer and the
 * retry after a failed verdict, the tools once per round, two verdicts and respond. LangGraph's
 * default limit (25) is reached from 10 rounds on, so the compiled graph carries this one.
 */
export function recursionLimitFor(maxToolRounds: number): number {
  const route = 1;
  const agent = maxToolRounds + 2;
  const tools = maxToolRounds;
  const validate = 2;
  const respond = 1;
  // A margin so a node added later does not turn into a GraphRecursionError first.
  return route + agent + tools + validate + respond + 5;
}
