import assert from "node:assert/strict";
import os from "node:os";
import { describe, it } from "node:test";
import {
  applyHardwareSpec,
  describeHardware,
  detectHardware,
  GIB,
  hardwareFromSpec,
  UNIFIED_GPU_SHARE,
} from "../../src/models/hardware/index.js";
import { getHearthLlama } from "../../src/models/runtime/index.js";

describe("detectHardware", () => {
  it("returns a plain JSON profile of this machine, read through the shared runtime", async () => {
    const profile = await detectHardware();
    assert.deepEqual(JSON.parse(JSON.stringify(profile)), profile);
    const llama = await getHearthLlama();
    assert.equal(profile.gpu.backend, llama.gpu === false ? "none" : llama.gpu);
    assert.equal(profile.cpuCores, Math.max(1, llama.cpuMathCores));
    assert.equal(profile.logicalCores, os.availableParallelism());
    assert.equal(profile.ramTotalBytes, os.totalmem());
    assert.ok(profile.ramFreeBytes > 0 && profile.ramFreeBytes <= profile.ramTotalBytes);
    assert.equal(profile.source, "detected");
    if (profile.gpu.backend === "none") {
      assert.equal(profile.gpu.vramTotalBytes, 0);
      assert.deepEqual(profile.gpu.devices, []);
    } else {
      assert.ok(profile.gpu.vramTotalBytes > 0);
      assert.ok(profile.gpu.vramFreeBytes <= profile.gpu.vramTotalBytes);
    }
  });
});

describe("hardware profiles from flags", () => {
  it("describes a discrete GPU with the given VRAM as total and free", () => {
    const profile = hardwareFromSpec({ gpu: "cuda", vramGiB: 12, ramGiB: 32, cores: 6 });
    assert.equal(profile.gpu.backend, "cuda");
    assert.equal(profile.gpu.vramTotalBytes, 12 * GIB);
    assert.equal(profile.gpu.vramFreeBytes, 12 * GIB);
    assert.equal(profile.gpu.unifiedMemoryBytes, 0);
    assert.equal(profile.ramTotalBytes, 32 * GIB);
    assert.equal(profile.cpuCores, 6);
    assert.equal(profile.logicalCores, 6);
    assert.equal(profile.source, "manual");
    assert.match(
      describeHardware(profile),
      /CUDA GPU: 12\.0 GiB of 12\.0 GiB VRAM free; 32\.0 GiB .* 6 physical cores/,
    );
  });

  it("Apple silicon: unified memory is the RAM, the GPU share defaults to 2/3 of it", () => {
    const profile = hardwareFromSpec({ gpu: "metal", ramGiB: 16 });
    assert.equal(profile.gpu.unifiedMemoryBytes, 16 * GIB);
    assert.equal(profile.gpu.vramTotalBytes, Math.round(16 * GIB * UNIFIED_GPU_SHARE));
    const explicit = hardwareFromSpec({ gpu: "metal", ramGiB: 16, vramGiB: 12 });
    assert.equal(explicit.gpu.vramTotalBytes, 12 * GIB);
  });

  it("overrides only what is given, and --gpu none removes the GPU", () => {
    const base = hardwareFromSpec({ gpu: "cuda", vramGiB: 8, ramGiB: 32, cores: 8 });
    const moreRam = applyHardwareSpec(base, { ramGiB: 64 });
    assert.equal(moreRam.ramTotalBytes, 64 * GIB);
    assert.equal(moreRam.gpu.vramTotalBytes, 8 * GIB);
    assert.equal(moreRam.source, "detected+overrides");
    const cpu = applyHardwareSpec(base, { gpu: "none" });
    assert.equal(cpu.gpu.backend, "none");
    assert.equal(cpu.gpu.vramTotalBytes, 0);
    assert.equal(base.gpu.backend, "cuda", "the base profile is not modified");
    const vramOnly = applyHardwareSpec(hardwareFromSpec({ gpu: "none" }), { vramGiB: 6 });
    assert.equal(vramOnly.gpu.backend, "cuda");
    assert.ok(vramOnly.notes.some((note) => note.includes("planning for CUDA")));
  });

  it("rejects impossible machines with a message that says what to pass", () => {
    assert.throws(() => hardwareFromSpec({ gpu: "vulkan" }), /--vram/);
    assert.throws(() => hardwareFromSpec({ gpu: "none", cores: 0 }), /cores/);
    assert.throws(() => hardwareFromSpec({ gpu: "none", ramGiB: -1 }), /ramGiB/);
  });
});
