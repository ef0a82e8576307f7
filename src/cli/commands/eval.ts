import { join, resolve } from "node:path";
import type { EvalMode, EvalProgress, EvalToolChoice, ModelInfo } from "../../eval/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";

const USAGE =
  "hearth eval --model <file.gguf|hf:owner/repo:QUANT|openai:model@base-url> [--suite builtin|<suite.jsonl>|<BFCL question file>] " +
  "[--mode model|graph] [--tool-choice auto|required] [--limit N] [--out <dir>] [--context-size N] [--max-tokens N]";

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
      suite: { type: "string", default: "builtin" },
      mode: { type: "string", default: "model" },
      "tool-choice": { type: "string", default: "auto" },
      limit: { type: "string" },
      out: { type: "string" },
      "context-size": { type: "string" },
      "max-tokens": { type: "string" },
    },
  });
  const model = values.model ?? process.env.HEARTH_MODEL;
  if (!model) {
    throw new CliUsageError(
      "--model is required (a GGUF file or an hf: URI such as hf:Qwen/Qwen3-8B-GGUF:Q4_K_M; or set HEARTH_MODEL).",
    );
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
    model,
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
    const { describeModelForReport, loadSuite, renderTerminalTable, runEval, writeReports } =
      await import("../../eval/index.js");
    // Suite problems are cheaper to hear about before a model loads.
    const suite = await loadSuite(options.suite);
    // The loader `ask` and `pull` use (same cache folder, HEARTH_OFFLINE, errors), or an
    // OpenAI-compatible server for `openai:<model>@<base-url>`.
    const { openChatModel } = await import("../../app/open-chat-model.js");
    const { loadProgressPrinter } = await import("../load-progress.js");
    const opened = await openChatModel({
      model: options.model,
      contextSize: options.contextSize,
      maxTokens: options.maxTokens,
      onProgress: loadProgressPrinter(),
    });
    const model = opened.chat;
    const tty = process.stderr.isTTY === true;
    let passed = 0;
    try {
      const modelInfo: ModelInfo = opened.localPath
        ? await describeModelForReport(opened.localPath)
        : { file: opened.source, name: opened.description };
      if (modelInfo.randomWeights) {
        process.stderr.write(
          "Note: this is a generated random-weight model; its accuracy will be chance.\n",
        );
      }
      const report = await runEval({
        model,
        suite,
        mode: options.mode,
        toolChoice: options.toolChoice,
        limit: options.limit,
        modelInfo,
        onProgress(progress) {
          if (progress.result.passed) passed++;
          const line = `${progressLine(progress, passed)}  ${progress.result.id}`;
          if (tty) process.stderr.write(`\r\x1b[2K${line}`);
          else if (
            progress.done % Math.max(1, Math.floor(progress.total / 10)) === 0 ||
            progress.done === progress.total
          ) {
            process.stderr.write(`${line}\n`);
          }
        },
      });
      if (tty) process.stderr.write("\n");
      const written = await writeReports(report, options.out);
      console.log(renderTerminalTable(report));
      console.log(
        `\nReports: ${written.json}\n         ${written.markdown}\n         ${written.html}`,
      );
      return 0;
    } finally {
      await opened.dispose();
    }
  },
};
