import { MODEL_CATALOG } from "./catalog.js";
import { type CatalogEntry, type CatalogQuant, QUANTIZATIONS, type Quantization } from "./types.js";

/** Finds an entry by tier id or release name, case-insensitively ("qwen3-8b", "Qwen3-8B"). */
export function findCatalogEntry(
  nameOrTier: string,
  catalog: readonly CatalogEntry[] = MODEL_CATALOG,
): CatalogEntry | undefined {
  const wanted = nameOrTier.trim().toLowerCase();
  return catalog.find((entry) => entry.tier === wanted || entry.name.toLowerCase() === wanted);
}

export function catalogEntry(
  nameOrTier: string,
  catalog: readonly CatalogEntry[] = MODEL_CATALOG,
): CatalogEntry {
  const found = findCatalogEntry(nameOrTier, catalog);
  if (!found) {
    throw new Error(
      `Unknown model tier "${nameOrTier}". Known tiers: ${catalog.map((entry) => entry.tier).join(", ")}.`,
    );
  }
  return found;
}

export function isQuantization(value: string): value is Quantization {
  return (QUANTIZATIONS as readonly string[]).includes(value);
}

/** Higher is better: more bits per weight keep more of the original model. */
export function quantizationQuality(quantization: Quantization): number {
  return QUANTIZATIONS.indexOf(quantization);
}

export function findQuant(entry: CatalogEntry, quantization: string): CatalogQuant | undefined {
  const wanted = quantization.toUpperCase();
  return entry.quantizations.find((candidate) => candidate.quantization === wanted);
}
