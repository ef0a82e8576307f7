import { scoreCalls } from "../scoring/index.js";
import type { EvalCase } from "../suite-format/types.js";
import { baseResult, shorten } from "./case-result.js";
import { toLangChainMessages } from "./messages.js";
import { stubTools } from "./stub-tools.js";
import type { CaseResult, EvalChatModel, RouteResult } from "./types.js";

/** The route a case should take: explicit for graph cases, else "direct" exactly when no call is expected. */
export function expectedRoute(testCase: EvalCase): "tools" | "direct" {
  return testCase.graph?.route ?? (testCase.expected === "none" ? "direct" : "tools");
}

/**
 * Runs the full Hearth agent graph on a case with stub tools and checks the route, the first
 * round of calls, and (for graph cases) that the answer mentions what the tool results said.
 */
export async function runGraphCase(
  model: EvalChatModel,
  testCase: EvalCase,
  signal?: AbortSignal,
): Promise<CaseResult> {
  // Loaded here so model-mode runs never pay for LangGraph.
  const { createAgentGraph, summarizeRun } = await import("../../graph/index.js");
  const graph = createAgentGraph({ model, tools: stubTools(testCase), checkpointer: false });
  const started = performance.now();
  const state = await graph.invoke(
    { messages: toLangChainMessages(testCase.messages) },
    { signal },
  );
  const latencyMs = performance.now() - started;
  const run = summarizeRun(state);

  const calls = run.toolCalls.map((call) => ({ name: call.name, args: call.args }));
  const firstRound = run.toolCalls
    .filter((call) => call.round === 1)
    .map((call) => ({ name: call.name, args: call.args }));
  const gotRoute = run.route?.route ?? (calls.length > 0 ? "tools" : "direct");
  const route: RouteResult = {
    expected: expectedRoute(testCase),
    got: gotRoute,
    correct: gotRoute === expectedRoute(testCase),
  };
  const callScore = scoreCalls(testCase, firstRound);
  const answer = run.answer ?? "";
  const missing = (testCase.graph?.answerIncludes ?? []).filter(
    (needle) => !answer.toLowerCase().includes(needle.toLowerCase()),
  );

  const reason = !route.correct
    ? `route: expected ${route.expected}, got ${route.got}`
    : !callScore.passed
      ? callScore.reason
      : missing.length > 0
        ? `answer does not mention ${missing.map((m) => JSON.stringify(m)).join(", ")}`
        : undefined;
  const result: CaseResult = {
    ...baseResult(testCase, calls),
    passed: reason === undefined,
    route,
    answer: shorten(answer),
    rounds: run.rounds,
    latencyMs,
    outputTokens: run.usage.output_tokens,
  };
  if (reason) result.reason = reason;
  return result;
}
