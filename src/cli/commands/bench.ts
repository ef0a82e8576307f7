import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";

export const command: CliCommand = {
  name: "bench",
  summary: "Measure speed as ratios against the model's own cost and the machine's limit (P1–P9)",
  usage:
    "hearth bench [--shape tiny|small|qwen3-0.6b] [--quant q8_0|q4_0] [--only P1,P3] [--quick] [--threads N] [--out dir] [--json]\n       hearth bench --gpu [--bandwidth GB/s] [--gpu-shapes qwen3-0.6b,qwen3-8b,qwen3-14b] [--quant q4_0|q8_0]",
  async run(argv) {
    const { values } = parseCliArgs({
      args: argv,
      options: {
        // Default: qwen3-0.6b, or small with --quick.
        shape: { type: "string" },
        quant: { type: "string", default: "q8_0" },
        only: { type: "string" },
        threads: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean", default: false },
        quick: { type: "boolean", default: false },
        gpu: { type: "boolean", default: false },
        bandwidth: { type: "string" },
        "gpu-shapes": { type: "string" },
      },
    });
    if (
      values.shape !== undefined &&
      !["tiny", "small", "qwen3-0.6b", "qwen3-1.7b"].includes(values.shape)
    ) {
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
    if (values.gpu) return runGpu(values);
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

async function runGpu(values: {
  bandwidth?: string;
  "gpu-shapes"?: string;
  quant?: string;
  out?: string;
  json?: boolean;
}): Promise<number> {
  // CUDA unless the caller chose a backend (HEARTH_GPU=vulkan, or none to try it on a CPU).
  process.env.HEARTH_GPU ??= "cuda";
  const { detectGpu, runGpuBench } = await import("../../bench/gpu.js");
  const { renderTerminal, writeBenchReport } = await import("../../bench/index.js");
  const card = detectGpu();
  const bandwidth =
    parseNumberFlag("--bandwidth", values.bandwidth, { min: 1 }) ?? card?.bandwidthGBps;
  if (bandwidth === undefined) {
    throw new CliUsageError(
      `Pass the card's memory bandwidth with --bandwidth <GB/s>${card ? ` (${card.name} is not in Hearth's table)` : " (nvidia-smi found no NVIDIA GPU)"}.`,
    );
  }
  const shapes = values["gpu-shapes"]?.split(",").map((shape) => shape.trim());
  const log = values.json ? (line: string) => console.error(line) : console.log;
  const os = await import("node:os");
  const rows = await runGpuBench({
    bandwidthGBps: bandwidth,
    shapes,
    quant: values.quant,
    log,
  });
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpu: card
        ? `${card.name} (GPU), ${bandwidth} GB/s`
        : `no NVIDIA GPU found, ${bandwidth} GB/s assumed`,
      cores: os.availableParallelism(),
      memoryGiB: os.totalmem() / 2 ** 30,
      readBandwidthGBps: bandwidth,
      platform: `${os.platform()} ${os.arch()}`,
      node: process.versions.node,
      nodeLlamaCpp: "see package.json",
      loadBefore: os.loadavg()[0],
      loadAfter: os.loadavg()[0],
    },
    model: {
      file: "(one per shape)",
      family: "qwen",
      shape: (shapes ?? ["qwen3-0.6b", "qwen3-8b", "qwen3-14b"]).join(", "),
      quant: values.quant ?? "q8_0",
      vocabularySize: 151936,
      parameters: 0,
      fileBytes: 0,
      threads: 0,
      contextSize: 2048,
      sequences: 16,
    },
    rows,
    seconds: {},
    warnings: [],
  };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else console.log(`\n${renderTerminal(report)}`);
  if (values.out) {
    const files = await writeBenchReport(report, values.out);
    (values.json ? console.error : console.log)(`Wrote ${files.join(" and ")}`);
  }
  return 0;
}
