import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { command as selectCommand } from "../../src/cli/commands/select.js";
import {
  catalogEntry,
  MODEL_CATALOG,
  QUANTIZATIONS,
  type Quantization,
  type TierName,
} from "../../src/models/catalog/index.js";
import { MAX_CONTEXT_SIZE } from "../../src/models/context/index.js";
import { type HardwareSpec, hardwareFromSpec } from "../../src/models/hardware/index.js";
import {
  budgetsFor,
  estimateMemory,
  kvCacheBytes,
  type ModelSelection,
  type SelectOptions,
  selectModel,
} from "../../src/models/select/index.js";

const MACHINES = {
  "RTX 3060 12 GB": { gpu: "cuda", vramGiB: 12, ramGiB: 32, cores: 6 },
  "RTX 4060 8 GB": { gpu: "cuda", vramGiB: 8, ramGiB: 32, cores: 8 },
  "RTX 4090 24 GB": { gpu: "cuda", vramGiB: 24, ramGiB: 64, cores: 16 },
  "6 GB laptop GPU": { gpu: "cuda", vramGiB: 6, ramGiB: 16, cores: 8 },
  "4 GB GPU": { gpu: "vulkan", vramGiB: 4, ramGiB: 16, cores: 4 },
  "Apple M2 16 GB unified": { gpu: "metal", ramGiB: 16, cores: 8 },
  "CPU-only 16 GB, 16 cores": { gpu: "none", ramGiB: 16, cores: 16 },
  "CPU-only 16 GB, 2 cores": { gpu: "none", ramGiB: 16, cores: 2 },
  "CPU-only 8 GB, 16 cores": { gpu: "none", ramGiB: 8, cores: 16 },
  "CPU-only 8 GB, 2 cores": { gpu: "none", ramGiB: 8, cores: 2 },
} satisfies Record<string, HardwareSpec>;
type Machine = keyof typeof MACHINES;

function select(machine: Machine, options: SelectOptions = {}): ModelSelection {
  return selectModel(hardwareFromSpec(MACHINES[machine]), options);
}

interface Expected {
  tier: TierName;
  quantization: Quantization;
  offload: "full" | "partial" | "none";
}

// The answers below are the arithmetic of src/models/select on the catalog's file sizes;
// each line is a decision that would change if the budget, KV or compute estimate changed.
const AT_8K: Record<Machine, Expected> = {
  "RTX 3060 12 GB": { tier: "qwen3-14b", quantization: "Q4_K_M", offload: "full" },
  "RTX 4060 8 GB": { tier: "qwen3-8b", quantization: "Q4_K_M", offload: "full" },
  "RTX 4090 24 GB": { tier: "qwen3-14b", quantization: "Q8_0", offload: "full" },
  "6 GB laptop GPU": { tier: "qwen3-4b", quantization: "Q6_K", offload: "full" },
  "4 GB GPU": { tier: "qwen3-1.7b", quantization: "Q8_0", offload: "full" },
  "Apple M2 16 GB unified": { tier: "qwen3-8b", quantization: "Q6_K", offload: "full" },
  "CPU-only 16 GB, 16 cores": { tier: "qwen3-8b", quantization: "Q6_K", offload: "none" },
  "CPU-only 16 GB, 2 cores": { tier: "qwen3-1.7b", quantization: "Q5_K_M", offload: "none" },
  "CPU-only 8 GB, 16 cores": { tier: "qwen3-4b", quantization: "Q8_0", offload: "none" },
  "CPU-only 8 GB, 2 cores": { tier: "qwen3-1.7b", quantization: "Q5_K_M", offload: "none" },
};

const AT_32K: Partial<Record<Machine, Expected>> = {
  "RTX 3060 12 GB": { tier: "qwen3-4b", quantization: "Q8_0", offload: "full" },
  "RTX 4060 8 GB": { tier: "qwen3-1.7b", quantization: "Q8_0", offload: "full" },
  "RTX 4090 24 GB": { tier: "qwen3-14b", quantization: "Q6_K", offload: "full" },
  "6 GB laptop GPU": { tier: "qwen3-8b", quantization: "Q8_0", offload: "partial" },
  "4 GB GPU": { tier: "qwen3-4b", quantization: "Q8_0", offload: "partial" },
  "Apple M2 16 GB unified": { tier: "qwen3-4b", quantization: "Q5_K_M", offload: "full" },
  "CPU-only 8 GB, 16 cores": { tier: "qwen3-1.7b", quantization: "Q4_K_M", offload: "none" },
};

function assertChoice(selection: ModelSelection, expected: Expected, label: string): void {
  assert.deepEqual(
    {
      tier: selection.tier,
      quantization: selection.model.quantization,
      offload: selection.offload,
    },
    expected,
    `${label}: got ${selection.summary}\n${selection.reasons.join("\n")}`,
  );
  assert.equal(selection.fits, true, label);
  if (selection.offload === "full") {
    assert.ok(selection.estimate.totalBytes <= selection.estimate.budgetBytes, label);
    assert.equal(selection.gpuLayers, catalogEntry(selection.tier).architecture.layers + 1, label);
  } else if (selection.offload === "none") {
    assert.equal(selection.gpuLayers, 0, label);
    assert.ok(selection.estimate.cpuBytes <= selection.estimate.budgetBytes, label);
  } else {
    const layers = catalogEntry(selection.tier).architecture.layers;
    assert.ok(selection.gpuLayers > 0 && selection.gpuLayers < layers, label);
  }
}

describe("selectModel: hardware table at the default 8K context", () => {
  for (const [machine, expected] of Object.entries(AT_8K) as [Machine, Expected][]) {
    it(`${machine} -> ${expected.tier} ${expected.quantization} (${expected.offload})`, () => {
      const selection = select(machine);
      assert.equal(selection.contextSize, 8192);
      assertChoice(selection, expected, machine);
    });
  }
});

describe("selectModel: 32K context", () => {
  for (const [machine, expected] of Object.entries(AT_32K) as [Machine, Expected][]) {
    it(`${machine} -> ${expected.tier} ${expected.quantization} (${expected.offload})`, () => {
      const selection = select(machine, { contextSize: 32_768 });
      assert.equal(selection.contextSize, 32_768);
      assertChoice(selection, expected, `${machine} @32K`);
      const at8k = AT_8K[machine];
      assert.notDeepEqual(
        [selection.tier, selection.model.quantization, selection.offload],
        [at8k.tier, at8k.quantization, at8k.offload],
        "the KV cache at 32K must change this machine's answer",
      );
    });
  }

  it("the 32K answer on an 8 GB card follows from the KV cache: 8B's KV alone is 4.5 GiB", () => {
    const qwen8b = catalogEntry("qwen3-8b");
    assert.equal(
      kvCacheBytes(qwen8b.architecture, 32_768),
      4 * kvCacheBytes(qwen8b.architecture, 8192),
    );
    const at32k = select("RTX 4060 8 GB", { contextSize: 32_768 });
    assert.ok(
      at32k.reasons.some((reason) => reason.startsWith("Qwen3-8B: even Q4_K_M needs")),
      at32k.reasons.join("\n"),
    );
  });
});

describe("selectModel: cores, threads and policies", () => {
  it("2 vs 16 cores on the same CPU-only machine: the speed limit picks a smaller model", () => {
    const few = select("CPU-only 16 GB, 2 cores");
    const many = select("CPU-only 16 GB, 16 cores");
    assert.equal(few.threads, 2);
    assert.equal(many.threads, 16);
    assert.ok(few.model.sizeBytes < many.model.sizeBytes);
    assert.ok(few.reasons.some((reason) => reason.includes("CPU speed limit")));
    assert.ok((few.cpuTokensPerSecond ?? 0) >= 8);
  });

  it("the ADR ladder policy keeps ADR-004's order and checks it by arithmetic", () => {
    const ladder = (machine: Machine, contextSize?: number) =>
      select(machine, { policy: "adr-ladder", contextSize });
    assertChoice(
      ladder("RTX 3060 12 GB"),
      { tier: "qwen3-14b", quantization: "Q4_K_M", offload: "full" },
      "3060",
    );
    assertChoice(
      ladder("RTX 4060 8 GB"),
      { tier: "qwen3-8b", quantization: "Q4_K_M", offload: "full" },
      "4060",
    );
    // At Phi-3's 4K, the ADR's lower rungs appear: Mistral from 6 GB, Phi-3-mini below.
    assertChoice(
      ladder("6 GB laptop GPU", 4096),
      { tier: "mistral-7b-instruct-v0.3", quantization: "Q4_K_M", offload: "full" },
      "6 GB @4K",
    );
    // Phi-3-mini has no grouped-query attention: 1.6 GB of KV at 4K, so even its Q4_K_M
    // (4.3 GB in all) misses a 4 GB card, and the ladder falls back to a split.
    const fourGb = ladder("4 GB GPU", 4096);
    assert.equal(fourGb.offload, "partial");
    const phi = catalogEntry("phi-3-mini-4k-instruct");
    const phiNeeds = estimateMemory(
      phi.architecture,
      phi.quantizations[0].sizeBytes,
      4096,
    ).totalBytes;
    assert.ok(phiNeeds > budgetsFor(hardwareFromSpec(MACHINES["4 GB GPU"])).gpuBytes);
    for (const machine of Object.keys(MACHINES) as Machine[]) {
      assert.ok(catalogEntry(ladder(machine).tier).adrLadderRank !== undefined, machine);
    }
  });

  it("prefer puts a tier first when it fits and explains when it does not", () => {
    const mistral = select("RTX 4060 8 GB", { prefer: "Mistral-7B-Instruct-v0.3" });
    assert.equal(mistral.tier, "mistral-7b-instruct-v0.3");
    const tooBig = select("RTX 4060 8 GB", { prefer: ["qwen3-14b"] });
    assert.equal(tooBig.tier, "qwen3-8b");
    assert.ok(tooBig.reasons.some((reason) => reason.startsWith("Qwen3-14B: even Q4_K_M")));
    assert.throws(
      () => select("RTX 4060 8 GB", { prefer: "qwen3-7b-instruct" }),
      /Unknown model tier/,
    );
  });

  it("minQuality leaves out models below the BFCL score, and unscored ones", () => {
    const selection = select("4 GB GPU", { minQuality: 60 });
    assert.ok(["qwen3-14b", "qwen3-8b", "qwen3-4b"].includes(selection.tier), selection.tier);
    assert.equal(selection.offload, "partial");
    for (const alternative of selection.alternatives) {
      assert.ok((catalogEntry(alternative.tier).bfcl?.v3.overall ?? 0) >= 60);
    }
    assert.throws(() => select("4 GB GPU", { minQuality: 99 }), /No model in the catalog reaches/);
  });
});

describe("selectModel: context, alternatives, limits", () => {
  it("clamps to 32K and says so", () => {
    const selection = select("RTX 4090 24 GB", { contextSize: 100_000 });
    assert.equal(selection.contextSize, MAX_CONTEXT_SIZE);
    assert.equal(selection.requestedContextSize, MAX_CONTEXT_SIZE);
    assert.ok(selection.reasons.some((reason) => reason.includes("asked for 100000")));
  });

  it("clamps Phi-3-mini to its native 4K context and says so", () => {
    const selection = select("RTX 4060 8 GB", {
      prefer: "phi-3-mini-4k-instruct",
      policy: "adr-ladder",
      minQuality: undefined,
    });
    // Qwen3-8B holds 8K, so a preferred Phi-3 that cannot is only taken when asked for 4K.
    assert.equal(selection.tier, "qwen3-8b");
    const at4k = select("RTX 4060 8 GB", { prefer: "phi-3-mini-4k-instruct", contextSize: 4096 });
    assert.equal(at4k.tier, "phi-3-mini-4k-instruct");
    const clamped = select("CPU-only 8 GB, 2 cores", { policy: "adr-ladder", contextSize: 32_768 });
    assert.equal(clamped.tier, "phi-3-mini-4k-instruct");
    assert.equal(clamped.contextSize, 4096);
    assert.ok(clamped.reasons.some((reason) => reason.includes("native context is 4096")));
  });

  it("alternatives step down: each smaller than the choice and than the one before it", () => {
    for (const machine of Object.keys(MACHINES) as Machine[]) {
      const selection = select(machine);
      let previous = selection.estimate.totalBytes;
      for (const alternative of selection.alternatives) {
        assert.ok(alternative.estimate.totalBytes < previous, machine);
        assert.ok(alternative.fits, machine);
        assert.notEqual(
          `${alternative.tier}/${alternative.model.quantization}`,
          `${selection.tier}/${selection.model.quantization}`,
        );
        previous = alternative.estimate.totalBytes;
      }
    }
    const rtx3060 = select("RTX 3060 12 GB");
    assert.deepEqual(
      rtx3060.alternatives.map((a) => a.tier),
      ["qwen3-8b", "qwen3-4b", "qwen3-1.7b", "qwen3-0.6b"],
    );
  });

  it("a machine nothing fits gets the smallest file, marked as not fitting", () => {
    const selection = selectModel(hardwareFromSpec({ gpu: "none", ramGiB: 1.5, cores: 2 }));
    assert.equal(selection.fits, false);
    assert.equal(selection.tier, "qwen3-0.6b");
    assert.equal(selection.model.quantization, "Q4_K_M");
    assert.ok(selection.reasons.some((reason) => reason.includes("Nothing in the catalog fits")));
  });

  it("Apple unified memory: the budget is the GPU's share of unified memory", () => {
    const selection = select("Apple M2 16 GB unified");
    const sixteen = 16 * 1024 ** 3;
    assert.ok(selection.estimate.budgetBytes < (sixteen * 2) / 3);
    assert.ok(selection.estimate.budgetBytes > sixteen / 2);
    assert.ok(selection.reasons.some((reason) => reason.includes("unified memory")));
  });

  it("is pure: same input, same output, and the profile is not modified", () => {
    const profile = hardwareFromSpec(MACHINES["RTX 4060 8 GB"]);
    const before = structuredClone(profile);
    assert.deepEqual(selectModel(profile), selectModel(profile));
    assert.deepEqual(profile, before);
  });
});

describe("memory arithmetic and catalog", () => {
  it("KV cache = 2 x layers x KV heads x head dim x context x 2 bytes (llama.cpp keeps K and V per layer in F16)", () => {
    assert.equal(kvCacheBytes(catalogEntry("qwen3-14b").architecture, 8192), 1_342_177_280);
    assert.equal(kvCacheBytes(catalogEntry("qwen3-8b").architecture, 8192), 1_207_959_552);
    assert.equal(
      kvCacheBytes(catalogEntry("mistral-7b-instruct-v0.3").architecture, 8192),
      1_073_741_824,
    );
    assert.equal(
      kvCacheBytes(catalogEntry("phi-3-mini-4k-instruct").architecture, 4096),
      1_610_612_736,
    );
    const estimate = estimateMemory(catalogEntry("qwen3-8b").architecture, 5_027_783_488, 8192);
    assert.equal(
      estimate.totalBytes,
      estimate.weightsBytes + estimate.kvCacheBytes + estimate.computeBytes,
    );
    assert.ok(estimate.computeBytes > 0);
  });

  it("every entry has real hf: URIs, Q4_K_M first, and a BFCL snapshot where scored", () => {
    const tiers = new Set<string>();
    for (const entry of MODEL_CATALOG) {
      assert.ok(!tiers.has(entry.tier));
      tiers.add(entry.tier);
      assert.equal(entry.quantizations[0].quantization, "Q4_K_M", entry.name);
      for (const quant of entry.quantizations) {
        assert.ok(QUANTIZATIONS.includes(quant.quantization));
        assert.equal(quant.uri, `hf:${quant.repo}/${quant.file}`);
        assert.match(quant.uri, /^hf:[\w.-]+\/[\w.-]+\/[\w.-]+\.gguf$/);
        assert.ok(quant.sizeBytes > 1e8);
      }
      if (entry.bfcl) assert.match(entry.bfcl.v3.snapshot.commit, /^[0-9a-f]{40}$/);
    }
    assert.equal(catalogEntry("phi-3-mini-4k-instruct").architecture.nativeContext, 4096);
    assert.equal(catalogEntry("Qwen3-14B").capabilities.thinking, true);
    assert.equal(catalogEntry("phi-3-mini-4k-instruct").capabilities.nativeToolCalling, false);
    assert.throws(() => catalogEntry("qwen3-14b-instruct"), /Unknown model tier/);
  });
});

describe("hearth select", () => {
  it("--json for a described machine prints the documented fields", async () => {
    const printed: string[] = [];
    const original = console.log;
    console.log = (text: string) => printed.push(text);
    try {
      const code = await selectCommand.run([
        "--json",
        "--vram",
        "8",
        "--ram",
        "32",
        "--gpu",
        "cuda",
        "--cores",
        "8",
      ]);
      assert.equal(code, 0);
    } finally {
      console.log = original;
    }
    const output = JSON.parse(printed.join("\n"));
    assert.equal(output.tier, "qwen3-8b");
    for (const key of ["name", "uri", "file", "quantization"]) assert.ok(output.model[key], key);
    for (const key of ["contextSize", "gpuLayers", "threads", "reasons", "alternatives"]) {
      assert.ok(output[key] !== undefined, key);
    }
    for (const key of ["weightsBytes", "kvCacheBytes", "totalBytes", "budgetBytes"]) {
      assert.equal(typeof output.estimate[key], "number", key);
    }
    assert.equal(output.hardware.gpu.backend, "cuda");
  });

  it("rejects a GPU without a VRAM size, and unknown backends", async () => {
    await assert.rejects(selectCommand.run(["--gpu", "cuda"]), /--vram/);
    await assert.rejects(
      selectCommand.run(["--gpu", "rocm", "--vram", "8"]),
      /--gpu must be one of/,
    );
  });
});
