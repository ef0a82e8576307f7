import os from "node:os";
import {
  applyHardwareSpec,
  detectHardware,
  formatGiB,
  type GpuBackend,
  type HardwareProfile,
  type HardwareSpec,
  hardwareFromSpec,
} from "../../models/hardware/index.js";
import {
  type ModelSelection,
  SELECTION_POLICIES,
  type SelectionPolicy,
  selectModel,
} from "../../models/select/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";

const BACKENDS: readonly GpuBackend[] = ["cuda", "vulkan", "metal", "none"];

export interface MachineFlags {
  gpu?: string;
  vram?: string;
  ram?: string;
  cores?: string;
}

/**
 * The machine to plan for: this one, with any of --gpu/--vram/--ram/--cores replacing what
 * was detected. With --gpu the machine is described entirely by flags (planning for another
 * computer), and unspecified RAM and cores come from this one.
 */
export async function machineFromFlags(flags: MachineFlags): Promise<HardwareProfile> {
  if (flags.gpu !== undefined && !BACKENDS.includes(flags.gpu as GpuBackend)) {
    throw new CliUsageError(`--gpu must be one of ${BACKENDS.join(", ")}, got "${flags.gpu}".`);
  }
  const spec: HardwareSpec = {
    gpu: flags.gpu as GpuBackend | undefined,
    vramGiB: parseNumberFlag("--vram", flags.vram, { min: 0 }),
    ramGiB: parseNumberFlag("--ram", flags.ram, { min: 0 }),
    cores: parseNumberFlag("--cores", flags.cores, { integer: true, min: 1 }),
  };
  try {
    if (spec.gpu !== undefined) {
      return hardwareFromSpec({
        ...spec,
        ramGiB: spec.ramGiB ?? os.totalmem() / 1024 ** 3,
        cores: spec.cores ?? os.availableParallelism(),
      });
    }
    const detected = await detectHardware();
    const overridden = Object.values(spec).some((value) => value !== undefined);
    return overridden ? applyHardwareSpec(detected, spec) : detected;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

export function printSelection(selection: ModelSelection): void {
  const { estimate } = selection;
  const layers =
    selection.offload === "full"
      ? `${selection.gpuLayers} (all)`
      : selection.offload === "partial"
        ? `${selection.gpuLayers} (partial)`
        : "0 (CPU)";
  const lines = [
    `Model:    ${selection.model.name} ${selection.model.quantization}${selection.fits ? "" : "  (does NOT fit this machine)"}`,
    `URI:      ${selection.model.uri}`,
    `Plan:     context ${selection.contextSize} tokens, GPU layers ${layers}, ${selection.threads} threads, batch ${selection.batchSize}`,
    `Memory:   ${formatGiB(estimate.totalBytes, 2)} = weights ${formatGiB(estimate.weightsBytes, 2)} + KV cache ${formatGiB(estimate.kvCacheBytes, 2)} + compute ${formatGiB(estimate.computeBytes, 2)}; budget ${formatGiB(estimate.budgetBytes, 2)}`,
    "",
    "Why:",
    ...selection.reasons.map((reason) => `  - ${reason}`),
  ];
  if (selection.embedding) {
    const { embedding } = selection;
    lines.splice(
      4,
      0,
      `Embed:    ${embedding.name} (${embedding.dimensions} dimensions), ${embedding.contextSize} tokens, ${formatGiB(embedding.estimate.totalBytes, 2)} ${embedding.placement === "gpu" ? "on the GPU" : "in RAM"}`,
    );
  }
  if (selection.alternatives.length > 0) {
    lines.push("", "If it runs out of memory, loading steps down to:");
    selection.alternatives.forEach((alternative, index) => {
      lines.push(`  ${index + 1}. ${alternative.summary}`);
    });
  }
  lines.push(
    "",
    `Download it with: hearth pull ${selection.tier} --quant ${selection.model.quantization}`,
  );
  console.log(lines.join("\n"));
}

export const command: CliCommand = {
  name: "select",
  summary:
    "Pick the model, quantization, context and GPU layers for this machine (or a described one)",
  usage:
    "hearth select [--json] [--context N] [--policy best-function-calling|adr-ladder] [--prefer tier[,tier]] [--min-quality BFCL] [--embedding qwen3-embedding-0.6b|nomic-embed-text-v1.5|bge-small-en-v1.5] [--gpu cuda|vulkan|metal|none] [--vram GiB] [--ram GiB] [--cores N]",
  async run(argv) {
    const { values } = parseCliArgs({
      args: argv,
      options: {
        json: { type: "boolean", default: false },
        context: { type: "string" },
        policy: { type: "string" },
        prefer: { type: "string" },
        "min-quality": { type: "string" },
        embedding: { type: "string" },
        gpu: { type: "string" },
        vram: { type: "string" },
        ram: { type: "string" },
        cores: { type: "string" },
      },
    });
    if (
      values.policy !== undefined &&
      !SELECTION_POLICIES.includes(values.policy as SelectionPolicy)
    ) {
      throw new CliUsageError(
        `--policy must be one of ${SELECTION_POLICIES.join(", ")}, got "${values.policy}".`,
      );
    }
    const contextSize = parseNumberFlag("--context", values.context, { integer: true, min: 1 });
    const minQuality = parseNumberFlag("--min-quality", values["min-quality"], { min: 0 });
    const hardware = await machineFromFlags(values);
    let selection: ModelSelection;
    try {
      selection = selectModel(hardware, {
        contextSize,
        policy: values.policy as SelectionPolicy | undefined,
        prefer: values.prefer
          ?.split(",")
          .map((tier) => tier.trim())
          .filter(Boolean),
        minQuality,
        embedding: values.embedding,
      });
    } catch (error) {
      throw new CliUsageError(error instanceof Error ? error.message : String(error));
    }
    if (values.json) {
      console.log(JSON.stringify({ ...selection, hardware }, null, 2));
    } else {
      printSelection(selection);
    }
    return 0;
  },
};
