import {
  type CatalogEntry,
  type CatalogQuant,
  MODEL_CATALOG,
  quantizationQuality,
} from "../catalog/index.js";
import { clampContextSize } from "../context/index.js";
import { describeHardware, formatGiB, type HardwareProfile } from "../hardware/index.js";
import { type Budgets, budgetsFor, CPU_TARGET_TOKENS_PER_SECOND } from "./budget.js";
import { planEmbedding } from "./embedding.js";
import { DEFAULT_BATCH_SIZE, estimateMemory, type MemoryEstimate } from "./memory.js";
import { type Placement, placeOffGpu, placeOnGpu } from "./plan.js";
import { rankEntries } from "./policy.js";
import {
  type ModelChoice,
  type ModelSelection,
  SELECTION_POLICIES,
  type SelectOptions,
} from "./types.js";

const MAX_ALTERNATIVES = 4;

interface Candidate {
  entry: CatalogEntry;
  quant: CatalogQuant;
  contextSize: number;
  batchSize: number;
  estimate: MemoryEstimate;
  gpu?: Placement;
  off: Placement;
}

type Pass = "gpu" | "offload" | "slow" | "none";

interface Stage {
  pass: Exclude<Pass, "none">;
  group: Candidate[];
}

function accept(pass: Pass, c: Candidate): Placement | undefined {
  if (pass === "gpu") return c.gpu;
  if (pass === "offload") return c.off.fitsMemory && c.off.fastEnough ? c.off : undefined;
  if (pass === "slow") return c.off.fitsMemory ? c.off : undefined;
  return undefined;
}

/** First candidate by rank; when nothing is fast enough, the fastest one that fits memory. */
function pick(stage: Stage): Candidate | undefined {
  const accepted = stage.group.filter((c) => accept(stage.pass, c) !== undefined);
  if (stage.pass !== "slow") return accepted[0];
  return accepted.reduce<Candidate | undefined>(
    (fastest, c) => (!fastest || c.off.cpuWeightsBytes < fastest.off.cpuWeightsBytes ? c : fastest),
    undefined,
  );
}

function resolveContextSize(requested: number | undefined, reasons: string[]): number {
  const { size, note } = clampContextSize(requested);
  if (note) reasons.push(note);
  return size;
}

function breakdown(estimate: MemoryEstimate, contextSize: number): string {
  return `weights ${formatGiB(estimate.weightsBytes, 2)} + KV cache ${formatGiB(estimate.kvCacheBytes, 2)} at ${contextSize} tokens + compute ${formatGiB(estimate.computeBytes, 2)}`;
}

function offloadText(placement: Placement, layers: number): string {
  if (placement.offload === "full") return `all ${layers} layers + output on the GPU`;
  if (placement.offload === "partial")
    return `${placement.gpuLayers} of ${layers} layers on the GPU, the rest on the CPU`;
  return "on the CPU";
}

function toChoice(
  candidate: Candidate,
  placement: Placement,
  hardware: HardwareProfile,
  budgets: Budgets,
  fits: boolean,
): ModelChoice {
  const { entry, quant, estimate, contextSize } = candidate;
  const cpuTokensPerSecond =
    placement.cpuWeightsBytes > 0
      ? Math.round((budgets.cpuBytesPerSecond / placement.cpuWeightsBytes) * 10) / 10
      : undefined;
  return {
    tier: entry.tier,
    model: {
      name: entry.name,
      uri: quant.uri,
      repo: quant.repo,
      file: quant.file,
      quantization: quant.quantization,
      sizeBytes: quant.sizeBytes,
      sizeAccuracy: quant.sizeAccuracy,
    },
    contextSize,
    gpuLayers: placement.gpuLayers,
    offload: placement.offload,
    threads: hardware.cpuCores,
    batchSize: candidate.batchSize,
    estimate: {
      ...estimate,
      budgetBytes: placement.budgetBytes,
      gpuBytes: placement.gpuBytes,
      cpuBytes: placement.cpuBytes,
      source: "catalog-arithmetic",
    },
    fits,
    ...(cpuTokensPerSecond !== undefined ? { cpuTokensPerSecond } : {}),
    summary: `${entry.name} ${quant.quantization} at ${contextSize} tokens, ${offloadText(placement, entry.architecture.layers)}, ${formatGiB(estimate.totalBytes, 2)}`,
  };
}

/** Why a candidate was not accepted by the pass that made the choice. */
function whyNot(candidate: Candidate, pass: Pass, budgets: Budgets): string {
  const { estimate, contextSize } = candidate;
  if (pass === "gpu") {
    return `needs ${formatGiB(estimate.totalBytes, 2)} at ${contextSize} tokens, over the ${formatGiB(budgets.gpuBytes, 2)} GPU budget`;
  }
  const parts: string[] = [];
  if (budgets.gpuBytes > 0)
    parts.push(`needs ${formatGiB(estimate.totalBytes, 2)}, more than the GPU holds`);
  const off = candidate.off;
  if (!off.fitsMemory) {
    parts.push(
      `${off.offload === "partial" ? "its CPU part" : "on the CPU it"} needs ${formatGiB(off.cpuBytes, 2)}, over the ${formatGiB(budgets.ramBytes, 2)} RAM budget`,
    );
  } else if (!off.fastEnough) {
    parts.push(
      `it would leave ${formatGiB(off.cpuWeightsBytes, 2)} of weights on the CPU, more than the ${formatGiB(budgets.cpuWeightsCapBytes, 2)} the cores read fast enough for ${CPU_TARGET_TOKENS_PER_SECOND} tokens/s`,
    );
  }
  return parts.join("; ");
}

function chosenReason(
  candidate: Candidate,
  placement: Placement,
  budgets: Budgets,
  pass: Pass,
): string {
  const { entry, quant, estimate, contextSize } = candidate;
  const head = `Chose ${entry.name} ${quant.quantization}: ${formatGiB(estimate.totalBytes, 2)} (${breakdown(estimate, contextSize)})`;
  switch (placement.offload) {
    case "full":
      return `${head} fits fully on the GPU, all ${entry.architecture.layers} layers + output, leaving ${formatGiB(budgets.gpuBytes - estimate.totalBytes, 2)} of the ${formatGiB(budgets.gpuBytes, 2)} budget.`;
    case "partial":
      return `${head}: ${placement.gpuLayers} of ${entry.architecture.layers} layers (${formatGiB(placement.gpuBytes, 2)}) on the GPU, ${formatGiB(placement.cpuBytes, 2)} in RAM; about ${(budgets.cpuBytesPerSecond / placement.cpuWeightsBytes).toFixed(1)} tokens/s on the CPU part.`;
    default:
      if (pass === "none") {
        return `${head}. Nothing in the catalog fits this machine's budgets; this is the smallest file and may swap or fail to load.`;
      }
      return `${head} runs on the CPU within the ${formatGiB(budgets.ramBytes, 2)} RAM budget; about ${(budgets.cpuBytesPerSecond / placement.cpuWeightsBytes).toFixed(1)} tokens/s expected${pass === "slow" ? ", below the target: no better option fits" : ""}.`;
  }
}

function capabilityReason(entry: CatalogEntry): string {
  const { capabilities } = entry;
  if (!capabilities.nativeToolCalling) {
    return `${entry.name} has no native tool-call format: tool calls come from grammar-constrained JSON in the prompt.`;
  }
  const format =
    capabilities.toolCallFormat === "hermes"
      ? "Hermes-style <tool_call> tags"
      : "Mistral v3 [TOOL_CALLS] tokens";
  return `${entry.name} calls tools natively (${format})${capabilities.thinking ? " and has a thinking mode" : ""}.`;
}

/**
 * Picks the model, quantization, context, GPU layers, threads and batch size for a machine.
 * Pure: the same profile and options always give the same answer, so machines we do not
 * have can be planned for (and tested).
 *
 * Order of preference: the first model by policy, at its highest quantization, that fits fully
 * on the GPU at the requested context; then a GPU/CPU split or a CPU plan that fits RAM and
 * decodes at the target speed; then the fastest plan that only fits RAM. Models whose native
 * context is shorter than the request (Phi-3-mini's 4K) go through the same steps only after
 * all others fail; if nothing fits at all, the smallest file comes back marked `fits: false`.
 */
export function selectModel(
  hardware: HardwareProfile,
  options: SelectOptions = {},
): ModelSelection {
  const policy = options.policy ?? "best-function-calling";
  if (!SELECTION_POLICIES.includes(policy)) {
    throw new Error(`Unknown policy "${policy}". Use one of: ${SELECTION_POLICIES.join(", ")}.`);
  }
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${options.batchSize}.`);
  }
  const contextReasons: string[] = [];
  const requested = resolveContextSize(options.contextSize, contextReasons);
  const embedding =
    options.embedding !== undefined
      ? planEmbedding(options.embedding, budgetsFor(hardware), options.embeddingContextSize)
      : undefined;
  const budgets = embedding?.budgets ?? budgetsFor(hardware);
  const prefer =
    options.prefer === undefined
      ? []
      : Array.isArray(options.prefer)
        ? options.prefer
        : [options.prefer];
  const ranked = rankEntries(options.catalog ?? MODEL_CATALOG, policy, prefer, options.minQuality);

  const candidates: Candidate[] = ranked.entries.flatMap((entry) => {
    const contextSize = Math.min(requested, entry.architecture.nativeContext);
    const batch = Math.min(batchSize, contextSize);
    return [...entry.quantizations]
      .sort((a, b) => quantizationQuality(b.quantization) - quantizationQuality(a.quantization))
      .map((quant) => {
        const estimate = estimateMemory(entry.architecture, quant.sizeBytes, contextSize, batch);
        return {
          entry,
          quant,
          contextSize,
          batchSize: batch,
          estimate,
          gpu: placeOnGpu(estimate, entry.architecture, budgets),
          off: placeOffGpu(estimate, entry.architecture, contextSize, batch, budgets),
        };
      });
  });

  // Models that hold the whole requested context come first; a shorter-context model (Phi-3-mini
  // at 4K) is planned only when none of them can run at all.
  const full = candidates.filter((c) => c.contextSize >= requested);
  const clamped = candidates.filter((c) => c.contextSize < requested);
  const stages: Stage[] = [full, clamped].flatMap((group) => [
    { pass: "gpu" as const, group },
    { pass: "offload" as const, group },
    { pass: "slow" as const, group },
  ]);
  let stageIndex = stages.findIndex((stage) => pick(stage) !== undefined);
  let chosen: Candidate;
  let placement: Placement;
  let pass: Pass;
  if (stageIndex >= 0) {
    chosen = pick(stages[stageIndex])!;
    placement = accept(stages[stageIndex].pass, chosen)!;
    pass = stages[stageIndex].pass;
  } else {
    stageIndex = stages.length;
    chosen = candidates.reduce((smallest, c) =>
      c.estimate.totalBytes < smallest.estimate.totalBytes ? c : smallest,
    );
    placement = chosen.off;
    pass = "none";
  }
  const fits = pass !== "none";
  const selected = chosen;

  // Step-down ladder for loadModel: per model from the chosen one on, the best smaller file
  // that this stage or an earlier one would also accept.
  const acceptedEarlier = (c: Candidate): Placement | undefined => {
    for (const stage of stages.slice(0, stageIndex + 1)) {
      if (!stage.group.includes(c)) continue;
      const found = accept(stage.pass, c);
      if (found) return found;
    }
    return undefined;
  };
  const entryOrder = [...new Set([...full, ...clamped].map((c) => c.entry))];
  const startEntry = entryOrder.indexOf(selected.entry);
  const alternatives: ModelChoice[] = [];
  // Each step must need less memory than the one that just failed.
  let ceiling = selected.estimate.totalBytes;
  for (const entry of entryOrder.slice(startEntry)) {
    if (alternatives.length >= MAX_ALTERNATIVES) break;
    for (const c of candidates) {
      if (c.entry !== entry || c === selected || c.estimate.totalBytes >= ceiling) continue;
      const found = acceptedEarlier(c);
      if (found) {
        alternatives.push(toChoice(c, found, hardware, budgets, true));
        ceiling = c.estimate.totalBytes;
        break;
      }
    }
  }

  const reasons: string[] = [`Machine: ${describeHardware(hardware)}.`];
  if (budgets.explanations.gpu) reasons.push(budgets.explanations.gpu);
  if (placement.offload !== "full") {
    reasons.push(budgets.explanations.ram, budgets.explanations.cpu);
  }
  if (embedding) reasons.push(embedding.plan.reason);
  reasons.push(...contextReasons);
  if (selected.contextSize < requested) {
    reasons.push(
      `Context: ${selected.entry.name}'s native context is ${selected.entry.architecture.nativeContext} tokens, so ${selected.contextSize} instead of the ${requested} asked for.`,
    );
  }
  reasons.push(...ranked.notes);
  for (const entry of entryOrder.slice(0, startEntry)) {
    const smallest = candidates.filter((c) => c.entry === entry).at(-1);
    if (smallest) {
      reasons.push(
        `${entry.name}: even ${smallest.quant.quantization} ${whyNot(smallest, pass === "none" ? "slow" : pass, budgets)}.`,
      );
    }
  }
  // Worth saying where the short-context model would otherwise have been tried first, or is
  // the ladder's own bottom rung.
  const selectedRank = ranked.entries.indexOf(selected.entry);
  const shortContext = [...new Set(clamped.map((c) => c.entry))].filter(
    (e) =>
      e !== selected.entry && (policy === "adr-ladder" || ranked.entries.indexOf(e) < selectedRank),
  );
  if (shortContext.length > 0) {
    reasons.push(
      `${shortContext.map((e) => `${e.name} holds only ${e.architecture.nativeContext} tokens`).join("; ")}: fewer than the ${requested} asked for, so considered only if nothing else can run (ask for --context ${Math.max(...shortContext.map((e) => e.architecture.nativeContext))} to plan for it).`,
    );
  }
  const better = candidates.filter(
    (c) =>
      c.entry === selected.entry &&
      quantizationQuality(c.quant.quantization) > quantizationQuality(selected.quant.quantization),
  );
  const nextBetter = better.at(-1);
  if (nextBetter && fits) {
    reasons.push(
      `${selected.entry.name} ${nextBetter.quant.quantization} ${whyNot(nextBetter, pass, budgets)}; ${selected.quant.quantization} is the highest quantization that fits.`,
    );
  }
  reasons.push(chosenReason(selected, placement, budgets, pass));
  if (selected.quant.sizeAccuracy !== "exact") {
    reasons.push(
      `The file size is ${selected.quant.sizeAccuracy} (${selected.quant.sizeSource}); loadModel re-estimates from the real file's header once it is on disk.`,
    );
  }
  reasons.push(capabilityReason(selected.entry));
  reasons.push(
    `Estimates assume an f16 KV cache and no flash attention (the larger compute buffer), as node-llama-cpp's own estimator does; threads = ${hardware.cpuCores} (one per physical core), batch ${selected.batchSize}.`,
  );

  return {
    ...toChoice(selected, placement, hardware, budgets, fits),
    policy,
    requestedContextSize: requested,
    reasons,
    alternatives,
    ...(embedding ? { embedding: embedding.plan } : {}),
  };
}
