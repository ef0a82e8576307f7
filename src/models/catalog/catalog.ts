import type { BfclSnapshot, CatalogEntry, CatalogQuant, Quantization } from "./types.js";

// Every size below is the byte count of the named file in the named Hugging Face repository (its
// file listing or README), or, where `sizeSource` says so, an equivalent file's; architecture
// numbers are each model's config.json; BFCL scores are the leaderboard's data files at the
// commits below. This file is data only: the selector decides, the catalog just describes.

const BFCL_V3: BfclSnapshot = {
  version: "v3",
  commit: "a53acce60a5e4064ef4b3ca5b1c30826fe719065",
  date: "2025-06-14",
};
const BFCL_V4: BfclSnapshot = {
  version: "v4",
  commit: "ea03bc8dd716546f4d4c6dd462368a9ab18cc2e0",
  date: "2025-12-16",
};

function quant(
  quantization: Quantization,
  repo: string,
  file: string,
  sizeBytes: number,
  sizeAccuracy: CatalogQuant["sizeAccuracy"],
  sizeSource: string,
): CatalogQuant {
  return {
    quantization,
    uri: `hf:${repo}/${file}`,
    repo,
    file,
    sizeBytes,
    sizeAccuracy,
    sizeSource,
  };
}

const QWEN3_ARCH = { ggufArchitecture: "qwen3", kvHeads: 8, headDim: 128, vocabSize: 151_936 };
// Qwen3 GGUFs say context_length 40,960; the model card gives 32,768 as the native context.
const QWEN3_CONTEXT = 32_768;
const QWEN3_CAPABILITIES = {
  nativeToolCalling: true,
  toolCallFormat: "hermes",
  thinking: true,
} as const;

export const MODEL_CATALOG: readonly CatalogEntry[] = [
  {
    tier: "qwen3-14b",
    name: "Qwen3-14B",
    parametersBillions: 14.8,
    license: "Apache-2.0",
    architecture: {
      ...QWEN3_ARCH,
      layers: 40,
      attentionHeads: 40,
      embeddingLength: 5120,
      nativeContext: QWEN3_CONTEXT,
    },
    capabilities: QWEN3_CAPABILITIES,
    bfcl: {
      row: "Qwen3-14B (FC)",
      v3: {
        snapshot: BFCL_V3,
        overall: 68.01,
        nonLiveSimple: 76.17,
        liveSimple: 86.05,
        multiTurn: 36.62,
        irrelevance: 81.01,
      },
      v4: { snapshot: BFCL_V4, overall: 41.03 },
    },
    adrLadderRank: 1,
    quantizations: [
      quant(
        "Q4_K_M",
        "Qwen/Qwen3-14B-GGUF",
        "Qwen3-14B-Q4_K_M.gguf",
        9_001_752_960,
        "exact",
        "byte count in a public model catalog",
      ),
      quant(
        "Q5_K_M",
        "Qwen/Qwen3-14B-GGUF",
        "Qwen3-14B-Q5_K_M.gguf",
        10_510_000_000,
        "estimated",
        "bartowski's equivalent file, 10.51 GB",
      ),
      quant(
        "Q6_K",
        "Qwen/Qwen3-14B-GGUF",
        "Qwen3-14B-Q6_K.gguf",
        12_120_000_000,
        "estimated",
        "bartowski's equivalent file, 12.12 GB",
      ),
      quant(
        "Q8_0",
        "Qwen/Qwen3-14B-GGUF",
        "Qwen3-14B-Q8_0.gguf",
        15_700_000_000,
        "estimated",
        "bartowski's equivalent file, 15.70 GB",
      ),
    ],
  },
  {
    tier: "qwen3-8b",
    name: "Qwen3-8B",
    parametersBillions: 8.2,
    license: "Apache-2.0",
    architecture: {
      ...QWEN3_ARCH,
      layers: 36,
      attentionHeads: 32,
      embeddingLength: 4096,
      nativeContext: QWEN3_CONTEXT,
    },
    capabilities: QWEN3_CAPABILITIES,
    bfcl: {
      row: "Qwen3-8B (FC)",
      v3: {
        snapshot: BFCL_V3,
        overall: 66.34,
        nonLiveSimple: 76.75,
        liveSimple: 84.88,
        multiTurn: 33.0,
        irrelevance: 79.08,
      },
      v4: { snapshot: BFCL_V4, overall: 42.57 },
    },
    adrLadderRank: 2,
    quantizations: [
      quant(
        "Q4_K_M",
        "Qwen/Qwen3-8B-GGUF",
        "Qwen3-8B-Q4_K_M.gguf",
        5_027_783_488,
        "exact",
        "byte count in a public model catalog",
      ),
      quant(
        "Q5_K_M",
        "Qwen/Qwen3-8B-GGUF",
        "Qwen3-8B-Q5_K_M.gguf",
        5_850_000_000,
        "estimated",
        "re-upload of the same-architecture Unsloth file, 5.85 GB",
      ),
      quant(
        "Q6_K",
        "Qwen/Qwen3-8B-GGUF",
        "Qwen3-8B-Q6_K.gguf",
        6_730_000_000,
        "estimated",
        "re-upload, 6.73 GB",
      ),
      quant(
        "Q8_0",
        "Qwen/Qwen3-8B-GGUF",
        "Qwen3-8B-Q8_0.gguf",
        8_710_000_000,
        "estimated",
        "re-upload, 8.71 GB",
      ),
    ],
  },
  {
    tier: "mistral-7b-instruct-v0.3",
    name: "Mistral-7B-Instruct-v0.3",
    parametersBillions: 7.25,
    license: "Apache-2.0",
    architecture: {
      ggufArchitecture: "llama",
      layers: 32,
      attentionHeads: 32,
      kvHeads: 8,
      headDim: 128,
      embeddingLength: 4096,
      vocabSize: 32_768,
      nativeContext: 32_768,
    },
    capabilities: { nativeToolCalling: true, toolCallFormat: "mistral-v3", thinking: false },
    bfcl: null,
    adrLadderRank: 3,
    // No official mistralai GGUF exists; bartowski's is the widely used one.
    quantizations: [
      quant(
        "Q4_K_M",
        "bartowski/Mistral-7B-Instruct-v0.3-GGUF",
        "Mistral-7B-Instruct-v0.3-Q4_K_M.gguf",
        4_370_000_000,
        "rounded",
        "bartowski README, 4.37 GB",
      ),
      quant(
        "Q5_K_M",
        "bartowski/Mistral-7B-Instruct-v0.3-GGUF",
        "Mistral-7B-Instruct-v0.3-Q5_K_M.gguf",
        5_130_000_000,
        "rounded",
        "bartowski README, 5.13 GB",
      ),
      quant(
        "Q6_K",
        "bartowski/Mistral-7B-Instruct-v0.3-GGUF",
        "Mistral-7B-Instruct-v0.3-Q6_K.gguf",
        5_940_000_000,
        "rounded",
        "bartowski README, 5.94 GB",
      ),
      quant(
        "Q8_0",
        "bartowski/Mistral-7B-Instruct-v0.3-GGUF",
        "Mistral-7B-Instruct-v0.3-Q8_0.gguf",
        7_700_000_000,
        "rounded",
        "bartowski README, 7.70 GB",
      ),
    ],
  },
  {
    tier: "phi-3-mini-4k-instruct",
    name: "Phi-3-mini-4k-instruct",
    parametersBillions: 3.8,
    license: "MIT",
    architecture: {
      ggufArchitecture: "phi3",
      layers: 32,
      attentionHeads: 32,
      // No grouped-query attention: its KV cache per token is 3x Qwen3-8B's.
      kvHeads: 32,
      headDim: 96,
      embeddingLength: 3072,
      vocabSize: 32_064,
      nativeContext: 4096,
    },
    capabilities: { nativeToolCalling: false, toolCallFormat: "none", thinking: false },
    bfcl: null,
    adrLadderRank: 4,
    // Microsoft's own repo has only q4 (k-quant type unconfirmed) and fp16; mradermacher has the ladder.
    quantizations: [
      quant(
        "Q4_K_M",
        "mradermacher/Phi-3-mini-4k-instruct-GGUF",
        "Phi-3-mini-4k-instruct.Q4_K_M.gguf",
        2_390_000_000,
        "rounded",
        "mradermacher tree page, 2.39 GB",
      ),
      quant(
        "Q5_K_M",
        "mradermacher/Phi-3-mini-4k-instruct-GGUF",
        "Phi-3-mini-4k-instruct.Q5_K_M.gguf",
        2_820_000_000,
        "rounded",
        "mradermacher tree page, 2.82 GB",
      ),
      quant(
        "Q6_K",
        "mradermacher/Phi-3-mini-4k-instruct-GGUF",
        "Phi-3-mini-4k-instruct.Q6_K.gguf",
        3_140_000_000,
        "rounded",
        "mradermacher tree page, 3.14 GB",
      ),
      quant(
        "Q8_0",
        "mradermacher/Phi-3-mini-4k-instruct-GGUF",
        "Phi-3-mini-4k-instruct.Q8_0.gguf",
        4_060_000_000,
        "rounded",
        "mradermacher tree page, 4.06 GB",
      ),
    ],
  },
  {
    tier: "qwen3-4b",
    name: "Qwen3-4B",
    parametersBillions: 4.0,
    license: "Apache-2.0",
    architecture: {
      ...QWEN3_ARCH,
      layers: 36,
      attentionHeads: 32,
      embeddingLength: 2560,
      nativeContext: QWEN3_CONTEXT,
    },
    capabilities: QWEN3_CAPABILITIES,
    bfcl: {
      row: "Qwen3-4B (FC)",
      v3: {
        snapshot: BFCL_V3,
        overall: 63.39,
        nonLiveSimple: 75.33,
        liveSimple: 87.6,
        multiTurn: 24.25,
        irrelevance: 78.19,
      },
      // BFCL v4 lists only Qwen3-4B-Instruct-2507, a different model.
    },
    quantizations: [
      quant(
        "Q4_K_M",
        "Qwen/Qwen3-4B-GGUF",
        "Qwen3-4B-Q4_K_M.gguf",
        2_497_280_256,
        "exact",
        "byte count in a public model catalog",
      ),
      quant(
        "Q5_K_M",
        "Qwen/Qwen3-4B-GGUF",
        "Qwen3-4B-Q5_K_M.gguf",
        2_890_000_000,
        "estimated",
        "bartowski's equivalent file, 2.89 GB",
      ),
      quant(
        "Q6_K",
        "Qwen/Qwen3-4B-GGUF",
        "Qwen3-4B-Q6_K.gguf",
        3_310_000_000,
        "estimated",
        "bartowski's equivalent file, 3.31 GB",
      ),
      quant(
        "Q8_0",
        "Qwen/Qwen3-4B-GGUF",
        "Qwen3-4B-Q8_0.gguf",
        4_280_404_640,
        "estimated",
        "ggml-org's Q8_0 byte count",
      ),
    ],
  },
  {
    tier: "qwen3-1.7b",
    name: "Qwen3-1.7B",
    parametersBillions: 1.7,
    license: "Apache-2.0",
    architecture: {
      ...QWEN3_ARCH,
      layers: 28,
      attentionHeads: 16,
      embeddingLength: 2048,
      nativeContext: QWEN3_CONTEXT,
    },
    capabilities: QWEN3_CAPABILITIES,
    bfcl: {
      row: "Qwen3-1.7B (FC)",
      v3: {
        snapshot: BFCL_V3,
        overall: 54.7,
        nonLiveSimple: 71.08,
        liveSimple: 75.58,
        multiTurn: 8.62,
        irrelevance: 76.13,
      },
      v4: { snapshot: BFCL_V4, overall: 28.41 },
    },
    // The official repo confirms only Q8_0; the smaller quants are bartowski's.
    quantizations: [
      quant(
        "Q4_K_M",
        "bartowski/Qwen_Qwen3-1.7B-GGUF",
        "Qwen_Qwen3-1.7B-Q4_K_M.gguf",
        1_282_439_584,
        "exact",
        "byte count in a public model catalog",
      ),
      quant(
        "Q5_K_M",
        "bartowski/Qwen_Qwen3-1.7B-GGUF",
        "Qwen_Qwen3-1.7B-Q5_K_M.gguf",
        1_470_000_000,
        "rounded",
        "bartowski README, 1.47 GB",
      ),
      quant(
        "Q6_K",
        "bartowski/Qwen_Qwen3-1.7B-GGUF",
        "Qwen_Qwen3-1.7B-Q6_K.gguf",
        1_670_000_000,
        "rounded",
        "bartowski README, 1.67 GB",
      ),
      quant(
        "Q8_0",
        "Qwen/Qwen3-1.7B-GGUF",
        "Qwen3-1.7B-Q8_0.gguf",
        1_834_426_016,
        "exact",
        "byte count in a public model catalog",
      ),
    ],
  },
  {
    tier: "qwen3-0.6b",
    name: "Qwen3-0.6B",
    parametersBillions: 0.6,
    license: "Apache-2.0",
    architecture: {
      ...QWEN3_ARCH,
      layers: 28,
      attentionHeads: 16,
      embeddingLength: 1024,
      nativeContext: QWEN3_CONTEXT,
    },
    capabilities: QWEN3_CAPABILITIES,
    bfcl: {
      row: "Qwen3-0.6B (FC)",
      v3: {
        snapshot: BFCL_V3,
        overall: 47.33,
        nonLiveSimple: 62.25,
        liveSimple: 65.89,
        multiTurn: 1.88,
        irrelevance: 82.41,
      },
      v4: { snapshot: BFCL_V4, overall: 23.93 },
    },
    quantizations: [
      quant(
        "Q4_K_M",
        "bartowski/Qwen_Qwen3-0.6B-GGUF",
        "Qwen_Qwen3-0.6B-Q4_K_M.gguf",
        507_510_784,
        "estimated",
        "about 484 MiB in a public model catalog",
      ),
      quant(
        "Q8_0",
        "Qwen/Qwen3-0.6B-GGUF",
        "Qwen3-0.6B-Q8_0.gguf",
        639_000_000,
        "estimated",
        "about 639 MB in public model catalogs",
      ),
    ],
  },
];
