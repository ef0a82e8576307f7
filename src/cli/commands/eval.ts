import { join, resolve } from "node:path";
import type { EvalMode, EvalProgress, EvalToolChoice } from "../../eval/index.js";
import { MICRO_MODEL_NAME, MICRO_TOOL_NAMES } from "../../models/load/micro-model.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";
import { type BackendSpec, openBackend, parseBackendSpec } from "../eval-backends.js";

const USAGE =
  "hearth eval --model <file.gguf|hf:owner/repo:QUANT|micro|openai:<model>[@<base-url>]> [--base-url <url>] " +
  "[--compare <model>,<model>,...] [--suite builtin|<suite.jsonl>|<BFCL question file>] " +
  "[--mode model|graph] [--tool-choice auto|required] [--no-parallel] [--limit N] [--out <dir>] [--context-size N] [--max-tokens N]\n" +
  "hearth eval --check-schemas --suite <file>   (no model: compiles every tool definition and checks the reference calls)";

/** One line of progress: a bar on a terminal, plain text otherwise. */
export function progressLine({ done, total }: EvalProgress, passed: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}  ${passed} passed`;
}

function parseOptions(argv: string[]) {
  const { values } = parseCliArgs({
    args: argv,
    options: {
      model: { type: "string" },
      compare: { type: "string" },
      "base-url": { type: "string" },
      "no-parallel": { type: "boolean", default: false },
      "check-schemas": { type: "boolean", default: false },
      suite: { type: "string", default: "builtin" },
      mode: { type: "string", default: "model" },
      "tool-choice": { type: "string", default: "auto" },
      limit: { type: "string" },
      out: { type: "string" },
      "context-size": { type: "string" },
      "max-tokens": { type: "string" },
    },
  });
  if (values.model !== undefined && values.compare !== undefined) {
    throw new CliUsageError(
      "Give either --model (one backend) or --compare a,b,... (several, one report), not both.",
    );
  }
  const baseURL = values["base-url"] ?? (process.env.OPENAI_BASE_URL || undefined);
  const specs = (values.compare ?? values.model ?? process.env.HEARTH_MODEL ?? "")
    .split(",")
    .map((spec) => spec.trim())
    .filter((spec) => spec !== "")
    .map((spec) => parseBackendSpec(spec, baseURL));
  if (specs.length === 0 && !values["check-schemas"]) {
    throw new CliUsageError(
      "--model is required (a GGUF file, an hf: URI such as hf:Qwen/Qwen3-8B-GGUF:Q4_K_M, or openai:<model> with --base-url; or set HEARTH_MODEL).",
    );
  }
  if (values.compare !== undefined && specs.length < 2) {
    throw new CliUsageError("--compare needs at least two backends, separated by commas.");
  }
  if (values.mode !== "model" && values.mode !== "graph") {
    throw new CliUsageError(`--mode must be "model" or "graph", got "${values.mode}".`);
  }
  const toolChoice = values["tool-choice"];
  if (toolChoice !== "auto" && toolChoice !== "required") {
    throw new CliUsageError(`--tool-choice must be "auto" or "required", got "${toolChoice}".`);
  }
  const atLeastOne = { integer: true, min: 1 };
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return {
    specs,
    checkSchemas: values["check-schemas"],
    compare: values.compare !== undefined,
    parallelToolCalls: !values["no-parallel"],
    suite: values.suite,
    mode: values.mode as EvalMode,
    toolChoice: toolChoice as EvalToolChoice,
    limit: parseNumberFlag("--limit", values.limit, atLeastOne),
    contextSize: parseNumberFlag("--context-size", values["context-size"], atLeastOne),
    maxTokens: parseNumberFlag("--max-tokens", values["max-tokens"], atLeastOne),
    out: resolve(values.out ?? join("reports", `eval-${stamp}`)),
  };
}

export const command: CliCommand = {
  name: "eval",
  summary:
    "Measure a model's function-calling accuracy on a suite (built-in or BFCL) and write reports",
  usage: USAGE,
  async run(argv) {
    const options = parseOptions(argv);
    const eval_ = await import("../../eval/index.js");
    const log = (line: string) => process.stderr.write(`${line}\n`);
    // Suite problems are cheaper to hear about before a model loads.
    let suite = await eval_.loadSuite(options.suite);
    if (
      options.suite === "builtin" &&
      options.specs.some((spec) => spec.spec === MICRO_MODEL_NAME)
    ) {
      // Hearth Micro knows only the built-in tools: it is scored on their cases, and says so.
      suite = eval_.restrictSuiteToTools(suite, MICRO_TOOL_NAMES, "Hearth Micro's tools only");
      log(`Hearth Micro: ${suite.name}.`);
    }
    if (options.checkSchemas) {
      console.log(eval_.renderReferenceCheck(eval_.checkReferenceCalls(suite)));
      return 0;
    }
    const open = (spec: BackendSpec) =>
      openBackend(spec, { contextSize: options.contextSize, maxTokens: options.maxTokens, log });
    const tty = process.stderr.isTTY === true;
    let passed = 0;
    const onProgress = (progress: EvalProgress, label?: string) => {
      if (progress.done === 1) passed = 0;
      if (progress.result.passed) passed++;
      const line = `${label ? `${label}  ` : ""}${progressLine(progress, passed)}  ${progress.result.id}`;
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (
        progress.done % Math.max(1, Math.floor(progress.total / 10)) === 0 ||
        progress.done === progress.total
      ) {
        process.stderr.write(`${line}\n`);
      }
      if (tty && progress.done === progress.total) process.stderr.write("\n");
    };
    const runOptions = {
      suite,
      mode: options.mode,
      toolChoice: options.toolChoice,
      parallelToolCalls: options.parallelToolCalls,
      limit: options.limit,
    };

    if (options.compare) {
      // Opened one at a time, each disposed before the next loads.
      const backends = [];
      for (const spec of options.specs) backends.push(await open(spec));
      try {
        const { comparison, reports } = await eval_.runComparison({
          ...runOptions,
          backends,
          onProgress: (backend, progress) => onProgress(progress, backend.label),
        });
        const written = await eval_.writeComparison(comparison, options.out);
        for (const [i, report] of reports.entries()) {
          await eval_.writeReports(report, join(options.out, `backend-${i + 1}`));
        }
        console.log(eval_.renderComparisonTerminal(comparison));
        console.log(
          `\nComparison: ${written.json}\n            ${written.markdown}\n            ${written.html}` +
            `\nPer backend: ${reports.map((_, i) => join(options.out, `backend-${i + 1}`)).join(", ")}`,
        );
        return 0;
      } finally {
        for (const backend of backends) await backend.dispose();
      }
    }

    const backend = await open(options.specs[0]);
    try {
      const report = await eval_.runEval({
        ...runOptions,
        model: backend.model,
        modelInfo: backend.modelInfo,
        onProgress: (progress) => onProgress(progress),
      });
      const written = await eval_.writeReports(report, options.out);
      console.log(eval_.renderTerminalTable(report));
      console.log(
        `\nReports: ${written.json}\n         ${written.markdown}\n         ${written.html}`,
      );
      return 0;
    } finally {
      await backend.dispose();
    }
  },
};
