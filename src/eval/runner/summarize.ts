import { EVAL_CATEGORIES } from "../suite-format/types.js";
import { mean, percentile } from "./stats.js";
import type { CaseResult, CategorySummary, EvalSummary } from "./types.js";

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** Aggregates case results into the report's summary; every number derives from `results`. */
export function summarize(results: CaseResult[], peakRssBytes: number): EvalSummary {
  const passed = results.filter((result) => result.passed).length;
  const byCategory: EvalSummary["byCategory"] = {};
  for (const category of EVAL_CATEGORIES) {
    const inCategory = results.filter((result) => result.category === category);
    if (inCategory.length === 0) continue;
    const categoryPassed = inCategory.filter((result) => result.passed).length;
    byCategory[category] = {
      n: inCategory.length,
      passed: categoryPassed,
      accuracy: ratio(categoryPassed, inCategory.length),
    } satisfies CategorySummary;
  }
  const emittedCalls = results.reduce(
    (sum, result) => sum + result.calls.length + result.invalidCalls,
    0,
  );
  const schemaValidCalls = results.reduce((sum, result) => sum + result.schemaValidCalls, 0);
  const routed = results.filter((result) => result.route !== undefined);
  const withUsage = results.filter((result) => result.outputTokens !== undefined && !result.error);
  const outputTokens = withUsage.reduce((sum, result) => sum + (result.outputTokens ?? 0), 0);
  const usageSeconds = withUsage.reduce((sum, result) => sum + result.latencyMs, 0) / 1000;
  // A case that threw (above all one that never got past binding) has no reply latency.
  const latencies = results.filter((result) => !result.error).map((result) => result.latencyMs);
  return {
    cases: results.length,
    passed,
    accuracy: ratio(passed, results.length),
    schemaValidRate: emittedCalls === 0 ? null : schemaValidCalls / emittedCalls,
    emittedCalls,
    schemaValidCalls,
    byCategory,
    routeAccuracy:
      routed.length === 0
        ? null
        : ratio(routed.filter((r) => r.route?.correct).length, routed.length),
    rounds: {
      mean: mean(results.map((result) => result.rounds)),
      max: results.reduce((max, result) => Math.max(max, result.rounds), 0),
    },
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      mean: mean(latencies),
    },
    tokensPerSecond:
      withUsage.length === 0 || usageSeconds === 0 ? null : outputTokens / usageSeconds,
    outputTokens,
    peakRssBytes,
    errors: results.filter((result) => result.error !== undefined).length,
    bindErrors: results.filter((result) => result.failedAt === "bind").length,
    isolatedTools: results.reduce((sum, result) => sum + (result.isolatedTools?.length ?? 0), 0),
  };
}
