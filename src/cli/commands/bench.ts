import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";

export const command: CliCommand = {
  name: "bench",
  summary: "Measure speed as ratios against the model's own cost and the machine's limit (P1–P9)",
  usage:
    "hearth bench [--shape tiny|small|qwen3-0.6b] [--quant q8_0|q4_0] [--only P1,P3] [--quick] [--threads N] [--out dir] [--json]",
  async run(argv) {
    const { values } = parseCliArgs({
      args: argv,
      options: {
        shape: { type: "string", default: "qwen3-0.6b" },
        quant: { type: "string", default: "q8_0" },
        only: { type: "string" },
        threads: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        quick: { type: "boolean", default: false },
      },
    });
    if (!["tiny", "small", "qwen3-0.6b", "qwen3-1.7b"].includes(values.shape!)) {
      throw new CliUsageError(
        `--shape must be tiny, small, qwen3-0.6b or qwen3-1.7b; got "${values.shape}".`,
      );
    }
    if (!["q8_0", "q4_0", "f16"].includes(values.quant!)) {
      throw new CliUsageError(`--quant must be q8_0, q4_0 or f16; got "${values.quant}".`);
    }
    const threads = parseNumberFlag("--threads", values.threads, { integer: true, min: 1 });
    if (threads !== undefined) {
      // Read when the llama.cpp runtime is created, which has not happened yet in this process.
      process.env.HEARTH_THREADS = String(threads);
    }
    const { parseBenchIds, renderTerminal, runBench, writeBenchReport } = await import(
      "../../bench/index.js"
    );
    let only: ReturnType<typeof parseBenchIds> | undefined;
    try {
      only = values.only ? parseBenchIds(values.only) : undefined;
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
    const log = values.json ? (line: string) => console.error(line) : console.log;
    const report = await runBench({
      shape: values.shape,
      quant: values.quant,
      only,
      quick: values.quick,
      log,
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else console.log(`\n${renderTerminal(report)}`);
    if (values.out) {
      const files = await writeBenchReport(report, values.out);
      (values.json ? console.error : console.log)(`Wrote ${files.join(" and ")}`);
    }
    return 0;
  },
};
