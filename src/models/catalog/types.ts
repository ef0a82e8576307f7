/** Weight quantizations the catalog offers, lowest quality first. */
export const QUANTIZATIONS = ["Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"] as const;
export type Quantization = (typeof QUANTIZATIONS)[number];

export type TierName =
  | "qwen3-14b"
  | "qwen3-8b"
  | "mistral-7b-instruct-v0.3"
  | "phi-3-mini-4k-instruct"
  | "qwen3-4b"
  | "qwen3-1.7b"
  | "qwen3-0.6b";

/**
 * How much a file size can be trusted: `exact` is a recorded byte count of that very file;
 * `rounded` is the repository's own page in GB with two decimals; `estimated` comes from an
 * equivalent file in another repository or an approximate figure.
 */
export type SizeAccuracy = "exact" | "rounded" | "estimated";

export interface CatalogQuant {
  quantization: Quantization;
  /** node-llama-cpp URI of one exact file: `hf:<user>/<repo>/<file>`. */
  uri: string;
  repo: string;
  file: string;
  sizeBytes: number;
  sizeAccuracy: SizeAccuracy;
  sizeSource: string;
}

/** The numbers the memory estimate needs. */
export interface ArchitectureNumbers {
  /** `general.architecture` in the GGUF. */
  ggufArchitecture: string;
  /** Transformer blocks (`block_count`). */
  layers: number;
  /** Query heads. */
  attentionHeads: number;
  kvHeads: number;
  headDim: number;
  embeddingLength: number;
  vocabSize: number;
  /** The context the model was trained for; Hearth never plans beyond it. */
  nativeContext: number;
}

export interface BfclSnapshot {
  version: "v3" | "v4";
  /** gh-pages commit of ShishirPatil/gorilla holding the leaderboard CSV. */
  commit: string;
  date: string;
}

export interface BfclScores {
  /** The leaderboard row the scores come from, e.g. "Qwen3-8B (FC)". */
  row: string;
  v3: {
    snapshot: BfclSnapshot;
    overall: number;
    nonLiveSimple: number;
    liveSimple: number;
    multiTurn: number;
    irrelevance: number;
  };
  v4?: { snapshot: BfclSnapshot; overall: number };
}

export interface CatalogEntry {
  tier: TierName;
  /** The release's real name on Hugging Face. */
  name: string;
  parametersBillions: number;
  license: string;
  architecture: ArchitectureNumbers;
  capabilities: {
    nativeToolCalling: boolean;
    toolCallFormat: "hermes" | "mistral-v3" | "none";
    /** Hybrid thinking mode (`/think`, `/no_think`). */
    thinking: boolean;
  };
  /** `null`: no published BFCL leaderboard row. */
  bfcl: BfclScores | null;
  /** Position on Hearth's original fixed ladder (1 = top); absent for models the ladder does not name. */
  adrLadderRank?: number;
  /** Q4_K_M first, then the larger files. */
  quantizations: CatalogQuant[];
}
