import { formatGiB, GIB } from "./units.js";

export type GpuBackend = "cuda" | "vulkan" | "metal" | "none";

/**
 * What the selector knows about a machine. Plain JSON on purpose: tests and `hearth select
 * --vram ...` describe machines we do not have with the same object `detectHardware()` returns.
 */
export interface HardwareProfile {
  gpu: {
    backend: GpuBackend;
    devices: string[];
    vramTotalBytes: number;
    vramFreeBytes: number;
    /** Memory the GPU shares with the CPU (Apple silicon); 0 on discrete GPUs. */
    unifiedMemoryBytes: number;
  };
  ramTotalBytes: number;
  ramFreeBytes: number;
  /** Physical cores llama.cpp finds useful for math (hyper-threads excluded). */
  cpuCores: number;
  /** Logical processors the OS reports. */
  logicalCores: number;
  platform: string;
  arch: string;
  /** Where the numbers came from, and anything odd met while probing. */
  source: "detected" | "manual" | "detected+overrides";
  notes: string[];
}

/** A machine described in the units people use for it: GiB as cards and RAM sticks are sold. */
export interface HardwareSpec {
  gpu?: GpuBackend;
  vramGiB?: number;
  ramGiB?: number;
  cores?: number;
  devices?: string[];
}

/**
 * macOS lets the GPU wire roughly 2/3 of unified memory on smaller Macs (Metal's
 * `recommendedMaxWorkingSetSize`; about 3/4 on large ones). Used only when a profile says
 * "metal" without a VRAM figure; a detected Mac reports the real working set.
 */
export const UNIFIED_GPU_SHARE = 2 / 3;

function nonNegative(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got ${value}.`);
  }
  return value;
}

/** A profile for a machine described by hand; unknown numbers take modest defaults. */
/** The GPU part of a machine without one; a fresh object each time, as profiles are edited. */
export function noGpu(): HardwareProfile["gpu"] {
  return {
    backend: "none",
    devices: [],
    vramTotalBytes: 0,
    vramFreeBytes: 0,
    unifiedMemoryBytes: 0,
  };
}

export function hardwareFromSpec(spec: HardwareSpec): HardwareProfile {
  return applyHardwareSpec(
    {
      gpu: noGpu(),
      ramTotalBytes: 16 * GIB,
      ramFreeBytes: 16 * GIB,
      cpuCores: 4,
      logicalCores: 4,
      platform: spec.gpu === "metal" ? "darwin" : "linux",
      arch: spec.gpu === "metal" ? "arm64" : "x64",
      source: "manual",
      notes: [],
    },
    spec,
    "manual",
  );
}

/**
 * Overrides parts of a profile (the CLI's `--vram/--ram/--gpu/--cores`). Given numbers count
 * as both total and free: planning for another machine assumes it is idle.
 */
export function applyHardwareSpec(
  base: HardwareProfile,
  spec: HardwareSpec,
  source: HardwareProfile["source"] = "detected+overrides",
): HardwareProfile {
  const vramGiB = nonNegative("vramGiB", spec.vramGiB);
  const ramGiB = nonNegative("ramGiB", spec.ramGiB);
  if (spec.cores !== undefined && (!Number.isInteger(spec.cores) || spec.cores < 1)) {
    throw new Error(`cores must be a positive integer, got ${spec.cores}.`);
  }
  const profile: HardwareProfile = structuredClone(base);
  profile.source = source;
  if (ramGiB !== undefined) {
    profile.ramTotalBytes = Math.round(ramGiB * GIB);
    profile.ramFreeBytes = profile.ramTotalBytes;
  }
  if (spec.cores !== undefined) {
    profile.cpuCores = spec.cores;
    profile.logicalCores =
      source === "manual" ? spec.cores : Math.max(spec.cores, base.logicalCores);
  }

  let backend = spec.gpu ?? base.gpu.backend;
  if (spec.gpu === undefined && vramGiB !== undefined && backend === "none") {
    backend = "cuda";
    profile.notes.push("A VRAM size was given without a GPU backend: planning for CUDA.");
  }
  const sameGpu = backend === base.gpu.backend;
  profile.gpu = {
    backend,
    devices: spec.devices ? [...spec.devices] : sameGpu ? [...base.gpu.devices] : [],
    vramTotalBytes: sameGpu ? base.gpu.vramTotalBytes : 0,
    vramFreeBytes: sameGpu ? base.gpu.vramFreeBytes : 0,
    unifiedMemoryBytes: sameGpu ? base.gpu.unifiedMemoryBytes : 0,
  };
  if (backend === "none") {
    profile.gpu = {
      backend,
      devices: [],
      vramTotalBytes: 0,
      vramFreeBytes: 0,
      unifiedMemoryBytes: 0,
    };
    return profile;
  }

  if (vramGiB !== undefined) {
    profile.gpu.vramTotalBytes = Math.round(vramGiB * GIB);
    profile.gpu.vramFreeBytes = profile.gpu.vramTotalBytes;
  }
  if (backend === "metal") {
    // Apple silicon: the GPU's memory is the RAM; without a VRAM figure take the usual share.
    profile.gpu.unifiedMemoryBytes = profile.ramTotalBytes;
    if (
      vramGiB === undefined &&
      (!sameGpu || ramGiB !== undefined || profile.gpu.vramTotalBytes === 0)
    ) {
      profile.gpu.vramTotalBytes = Math.round(profile.ramTotalBytes * UNIFIED_GPU_SHARE);
      profile.gpu.vramFreeBytes = profile.gpu.vramTotalBytes;
    }
  } else if (!sameGpu || vramGiB !== undefined) {
    profile.gpu.unifiedMemoryBytes = 0;
  }
  if (profile.gpu.vramTotalBytes === 0) {
    throw new Error(
      `Planning for a ${backend} GPU needs its memory size: pass --vram <GiB> (vramGiB) with --gpu ${backend}.`,
    );
  }
  return profile;
}

/** One line for people: "CUDA: NVIDIA RTX 3060, 11.8 of 12.0 GiB VRAM free; 31.2 of 32.0 GiB RAM free; 6 cores". */
export function describeHardware(profile: HardwareProfile): string {
  const { gpu } = profile;
  const parts: string[] = [];
  if (gpu.backend === "none") {
    parts.push("no GPU offloading");
  } else {
    const names = gpu.devices.length > 0 ? ` (${gpu.devices.join(", ")})` : "";
    const unified =
      gpu.unifiedMemoryBytes > 0 ? ` (unified memory ${formatGiB(gpu.unifiedMemoryBytes)})` : "";
    parts.push(
      `${gpu.backend.toUpperCase()} GPU${names}: ${formatGiB(gpu.vramFreeBytes)} of ${formatGiB(gpu.vramTotalBytes)} VRAM free${unified}`,
    );
  }
  parts.push(`${formatGiB(profile.ramFreeBytes)} of ${formatGiB(profile.ramTotalBytes)} RAM free`);
  parts.push(`${profile.cpuCores} physical core${profile.cpuCores === 1 ? "" : "s"}`);
  return parts.join("; ");
}
