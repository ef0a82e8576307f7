import os from "node:os";
import type { Llama } from "node-llama-cpp";
import { getHearthLlama } from "../runtime/index.js";
import { type GpuBackend, type HardwareProfile, noGpu } from "./profile.js";

function backendOf(gpu: Llama["gpu"]): GpuBackend {
  return gpu === false ? "none" : gpu;
}

function osOnlyProfile(note: string): HardwareProfile {
  const cores = os.availableParallelism();
  return {
    gpu: noGpu(),
    ramTotalBytes: os.totalmem(),
    ramFreeBytes: os.freemem(),
    cpuCores: cores,
    logicalCores: cores,
    platform: process.platform,
    arch: process.arch,
    source: "detected",
    notes: [note],
  };
}

/**
 * Probes this machine through the process's one llama.cpp runtime: the GPU backend it loaded
 * (CUDA, Vulkan, Metal or none), device names, VRAM and unified memory, and the physical cores
 * llama.cpp uses for math; RAM comes from Node's `os`. Never throws: if the runtime cannot
 * load, the profile is CPU-only and says why in `notes`.
 */
export async function detectHardware(): Promise<HardwareProfile> {
  let llama: Llama;
  try {
    llama = await getHearthLlama();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return osOnlyProfile(`llama.cpp runtime did not load (${reason}); planned as CPU-only.`);
  }
  const backend = backendOf(llama.gpu);
  const notes: string[] = [];
  let vram = { total: 0, free: 0, unifiedSize: 0 };
  let devices: string[] = [];
  if (backend !== "none") {
    try {
      [vram, devices] = await Promise.all([llama.getVramState(), llama.getGpuDeviceNames()]);
    } catch (error) {
      notes.push(`GPU query failed (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  return {
    gpu: {
      backend,
      devices,
      vramTotalBytes: vram.total,
      vramFreeBytes: vram.free,
      unifiedMemoryBytes: vram.unifiedSize,
    },
    ramTotalBytes: os.totalmem(),
    // libuv reads MemAvailable on Linux, so reclaimable page cache counts as free.
    ramFreeBytes: os.freemem(),
    cpuCores: Math.max(1, llama.cpuMathCores),
    logicalCores: os.availableParallelism(),
    platform: process.platform,
    arch: process.arch,
    source: "detected",
    notes,
  };
}
