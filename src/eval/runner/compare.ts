import { EVAL_CATEGORIES, type EvalCategory } from "../suite-format/types.js";
import { runEval } from "./run-eval.js";
import { percentile } from "./stats.js";
import type {
  CaseResult,
  EvalChatModel,
  EvalProgress,
  EvalReport,
  EvalSummary,
  ModelInfo,
  RunEvalOptions,
} from "./types.js";

/** One backend to compare: any LangChain chat model with `bindTools`, under a label for the report. */
export interface ComparedBackend {
  label: string;
  model: EvalChatModel;
  modelInfo?: ModelInfo;
  /** Called once this backend's run is over (e.g. to free a loaded model before the next one loads). */
  dispose?: () => Promise<void>;
}

export interface CategoryFigures {
  n: number;
  passed: number;
  accuracy: number;
  /** Emitted calls that parsed and validated, over all emitted; null when none was emitted. */
  schemaValidRate: number | null;
  /** Median latency of the category's cases that got a reply; null when none did. */
  latencyP50Ms: number | null;
  outputTokens: number;
}

export interface BackendFigures {
  label: string;
  model: ModelInfo;
  summary: EvalSummary;
  byCategory: Partial<Record<EvalCategory, CategoryFigures>>;
  notes: string[];
}

/** Several backends on the same cases: what compare.json holds. */
export interface ComparisonReport {
  createdAt: string;
  suite: EvalReport["suite"];
  options: EvalReport["options"];
  backends: BackendFigures[];
}

export interface RunComparisonOptions
  extends Omit<RunEvalOptions, "model" | "modelInfo" | "onProgress"> {
  backends: ComparedBackend[];
  onProgress?: (backend: ComparedBackend, progress: EvalProgress) => void;
}

/** Per-category figures, all derived from the case results. */
export function categoryFigures(results: CaseResult[]): BackendFigures["byCategory"] {
  const out: BackendFigures["byCategory"] = {};
  for (const category of EVAL_CATEGORIES) {
    const rs = results.filter((r) => r.category === category);
    if (rs.length === 0) continue;
    const passed = rs.filter((r) => r.passed).length;
    const emitted = rs.reduce((n, r) => n + r.calls.length + r.invalidCalls, 0);
    const valid = rs.reduce((n, r) => n + r.schemaValidCalls, 0);
    const replied = rs.filter((r) => !r.error).map((r) => r.latencyMs);
    out[category] = {
      n: rs.length,
      passed,
      accuracy: passed / rs.length,
      schemaValidRate: emitted === 0 ? null : valid / emitted,
      latencyP50Ms: replied.length === 0 ? null : percentile(replied, 50),
      outputTokens: rs.reduce((n, r) => n + (r.outputTokens ?? 0), 0),
    };
  }
  return out;
}

/**
 * Runs the same suite, cases and options on each backend in turn (never concurrently, so one
 * backend's load does not slow another's latency) and puts the figures side by side.
 * Returns each backend's full report too.
 */
export async function runComparison(
  options: RunComparisonOptions,
): Promise<{ comparison: ComparisonReport; reports: EvalReport[] }> {
  const { backends, onProgress, ...rest } = options;
  if (backends.length === 0) throw new TypeError("runComparison needs at least one backend.");
  const labels = backends.map((b) => b.label);
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined) {
    throw new TypeError(`Two backends are labelled "${repeated}"; labels must be unique.`);
  }
  const reports: EvalReport[] = [];
  for (const backend of backends) {
    try {
      reports.push(
        await runEval({
          ...rest,
          model: backend.model,
          modelInfo: backend.modelInfo ?? { name: backend.label },
          onProgress: onProgress && ((progress) => onProgress(backend, progress)),
        }),
      );
    } finally {
      await backend.dispose?.();
    }
  }
  return {
    comparison: {
      createdAt: new Date().toISOString(),
      suite: reports[0].suite,
      options: reports[0].options,
      backends: reports.map((report, i) => ({
        label: backends[i].label,
        model: report.model,
        summary: report.summary,
        byCategory: categoryFigures(report.results),
        notes: report.notes,
      })),
    },
    reports,
  };
}
