import { errorResult } from "./case-result.js";
import { runGraphCase } from "./graph-mode.js";
import { RssSampler } from "./memory.js";
import { runModelCase } from "./model-mode.js";
import { buildNotes } from "./notes.js";
import { selectCases } from "./select.js";
import { summarize } from "./summarize.js";
import type { CaseResult, EvalReport, RunEvalOptions } from "./types.js";

/**
 * Runs a suite against a chat model and returns the whole report (what report.json holds).
 * A case that throws is recorded as that case's failure; the run goes on.
 */
export async function runEval(options: RunEvalOptions): Promise<EvalReport> {
  const { model, suite, signal } = options;
  const mode = options.mode ?? "model";
  const toolChoice = options.toolChoice ?? "auto";
  const parallelToolCalls = options.parallelToolCalls ?? true;
  if (typeof model.bindTools !== "function") {
    throw new TypeError(
      `The chat model "${model.getName()}" has no bindTools(); function-calling eval needs one.`,
    );
  }
  const cases = selectCases(suite.cases, options.limit);
  const sampler = new RssSampler().start();
  const results: CaseResult[] = [];
  let peakRssBytes = 0;
  try {
    for (const testCase of cases) {
      signal?.throwIfAborted();
      const started = performance.now();
      let result: CaseResult;
      try {
        result =
          mode === "graph"
            ? await runGraphCase(model, testCase, signal)
            : await runModelCase(model, testCase, toolChoice, signal, parallelToolCalls);
      } catch (error) {
        if (signal?.aborted) throw error;
        result = errorResult(testCase, error, performance.now() - started);
      }
      sampler.sample();
      results.push(result);
      options.onProgress?.({ done: results.length, total: cases.length, result });
    }
  } finally {
    peakRssBytes = sampler.stop();
  }
  const modelInfo = options.modelInfo ?? { name: model.getName() };
  const summary = summarize(results, peakRssBytes);
  return {
    createdAt: new Date().toISOString(),
    model: modelInfo,
    suite: {
      name: suite.name,
      source: suite.source,
      totalCases: suite.cases.length,
      selectedCases: cases.length,
    },
    options: { mode, toolChoice, parallelToolCalls, limit: options.limit ?? null },
    summary,
    notes: buildNotes({ modelInfo, mode, toolChoice, summary }),
    results,
  };
}
