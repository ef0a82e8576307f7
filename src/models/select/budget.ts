import { formatGiB, GIB, type HardwareProfile, MIB } from "../hardware/index.js";

/** Kept free on the GPU for the driver, the CUDA/Metal context and a desktop's framebuffers. */
export const VRAM_RESERVE_FIXED_BYTES = 512 * MIB;
/** Plus this share of total VRAM: estimates are not exact and other programs allocate too. */
export const VRAM_RESERVE_FRACTION = 0.05;
/** Kept free in RAM for the OS, Node itself and whatever else the person is running. */
export const RAM_RESERVE_FIXED_BYTES = 1 * GIB;
export const RAM_RESERVE_FRACTION = 0.1;

/**
 * CPU decoding reads every CPU-resident weight once per token. Assumed sustained rate: about
 * 6 GB/s of quantized weights per physical core (dequantisation makes it compute-bound on few
 * cores), capped at 60 GB/s (dual-channel DDR5) however many cores there are.
 */
export const CPU_WEIGHT_BYTES_PER_SECOND_PER_CORE = 6e9;
export const CPU_MEMORY_BANDWIDTH_CAP = 60e9;
/** Below this a tool-calling loop (several model turns per question) feels broken. */
export const CPU_TARGET_TOKENS_PER_SECOND = 8;

export interface Budgets {
  /** Bytes the plan may put on the GPU; 0 without GPU offloading. */
  gpuBytes: number;
  /** Bytes the plan may put in RAM (CPU layers, or everything on a CPU-only plan). */
  ramBytes: number;
  /** Most weight bytes the CPU may hold and still decode at the target speed. */
  cpuWeightsCapBytes: number;
  cpuBytesPerSecond: number;
  /** GPU and CPU share one memory (Apple silicon): splitting layers between them gains nothing. */
  unified: boolean;
  explanations: { gpu?: string; ram: string; cpu: string };
}

export function budgetsFor(hardware: HardwareProfile): Budgets {
  const { gpu } = hardware;
  const unified = gpu.backend !== "none" && gpu.unifiedMemoryBytes > 0;
  let gpuBytes = 0;
  let gpuExplanation: string | undefined;
  if (gpu.backend !== "none" && gpu.vramTotalBytes > 0) {
    const available = Math.min(gpu.vramFreeBytes, gpu.vramTotalBytes);
    const reserve = VRAM_RESERVE_FIXED_BYTES + VRAM_RESERVE_FRACTION * gpu.vramTotalBytes;
    gpuBytes = Math.max(0, Math.floor(available - reserve));
    const share = unified
      ? ` (the GPU's share of ${formatGiB(gpu.unifiedMemoryBytes)} unified memory)`
      : "";
    gpuExplanation = `GPU budget ${formatGiB(gpuBytes)} = ${formatGiB(available)} VRAM free${share} − 0.5 GiB fixed reserve − 5% of ${formatGiB(gpu.vramTotalBytes)} for the driver and estimate error.`;
  }
  const ramAvailable = Math.min(hardware.ramFreeBytes, hardware.ramTotalBytes);
  const ramBytes = Math.max(
    0,
    Math.floor(
      ramAvailable - RAM_RESERVE_FIXED_BYTES - RAM_RESERVE_FRACTION * hardware.ramTotalBytes,
    ),
  );
  const cpuBytesPerSecond = Math.min(
    CPU_MEMORY_BANDWIDTH_CAP,
    hardware.cpuCores * CPU_WEIGHT_BYTES_PER_SECOND_PER_CORE,
  );
  const cpuWeightsCapBytes = cpuBytesPerSecond / CPU_TARGET_TOKENS_PER_SECOND;
  return {
    gpuBytes,
    ramBytes,
    cpuWeightsCapBytes,
    cpuBytesPerSecond,
    unified,
    explanations: {
      gpu: gpuExplanation,
      ram: `RAM budget ${formatGiB(ramBytes)} = ${formatGiB(ramAvailable)} free − 1 GiB − 10% of ${formatGiB(hardware.ramTotalBytes)} for the OS and other programs.`,
      cpu: `CPU speed limit: ${hardware.cpuCores} physical core${hardware.cpuCores === 1 ? "" : "s"} read about ${(cpuBytesPerSecond / 1e9).toFixed(0)} GB/s of weights (assumed 6 GB/s per core, at most 60 GB/s), so at most ${formatGiB(cpuWeightsCapBytes)} of weights may stay on the CPU to decode ${CPU_TARGET_TOKENS_PER_SECOND}+ tokens/s.`,
    },
  };
}
