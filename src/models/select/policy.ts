import { type CatalogEntry, findCatalogEntry } from "../catalog/index.js";
import type { SelectionPolicy } from "./types.js";

export interface RankedEntries {
  entries: CatalogEntry[];
  notes: string[];
}

function bfclOverall(entry: CatalogEntry): number | undefined {
  return entry.bfcl?.v3.overall;
}

/** The order in which models are tried: policy first, then `prefer`, filtered by `minQuality`. */
export function rankEntries(
  catalog: readonly CatalogEntry[],
  policy: SelectionPolicy,
  prefer: string[],
  minQuality: number | undefined,
): RankedEntries {
  const notes: string[] = [];
  let entries: CatalogEntry[];
  if (policy === "adr-ladder") {
    entries = catalog
      .filter((entry) => entry.adrLadderRank !== undefined)
      .sort((a, b) => (a.adrLadderRank ?? 0) - (b.adrLadderRank ?? 0));
    notes.push(
      `Policy adr-ladder: the fixed ladder's order ${entries.map((entry) => entry.name).join(" > ")}, each checked by memory arithmetic instead of fixed VRAM thresholds.`,
    );
  } else {
    const scored = catalog
      .filter((entry) => bfclOverall(entry) !== undefined)
      .sort((a, b) => (bfclOverall(b) ?? 0) - (bfclOverall(a) ?? 0));
    const unscored = catalog.filter((entry) => bfclOverall(entry) === undefined);
    entries = [...scored, ...unscored];
    const snapshot = scored[0]?.bfcl?.v3.snapshot;
    const ranking = scored.map((entry) => `${entry.name} ${bfclOverall(entry)}`).join(" > ");
    const source = snapshot
      ? ` (BFCL ${snapshot.version} overall, gorilla gh-pages ${snapshot.commit.slice(0, 7)}, ${snapshot.date})`
      : "";
    notes.push(
      `Policy best-function-calling: the best function-calling score that fits${source}: ${ranking}.`,
    );
    if (unscored.length > 0) {
      notes.push(
        `${unscored.map((entry) => entry.name).join(" and ")} have no published BFCL score, so this policy tries them last; use --policy adr-ladder or --prefer to pick them.`,
      );
    }
  }

  const preferred: CatalogEntry[] = [];
  for (const name of prefer) {
    const entry = findCatalogEntry(name, catalog);
    if (!entry) {
      throw new Error(
        `Unknown model tier "${name}" in prefer. Known tiers: ${catalog.map((e) => e.tier).join(", ")}.`,
      );
    }
    if (!preferred.includes(entry)) preferred.push(entry);
  }
  if (preferred.length > 0) {
    entries = [...preferred, ...entries.filter((entry) => !preferred.includes(entry))];
    notes.push(`Preferred first: ${preferred.map((entry) => entry.name).join(", ")}.`);
  }

  if (minQuality !== undefined) {
    const dropped = entries.filter((entry) => (bfclOverall(entry) ?? -1) < minQuality);
    entries = entries.filter((entry) => !dropped.includes(entry));
    if (dropped.length > 0) {
      notes.push(
        `Minimum quality BFCL ${minQuality}: left out ${dropped.map((entry) => `${entry.name} (${bfclOverall(entry) ?? "no score"})`).join(", ")}.`,
      );
    }
    if (entries.length === 0) {
      throw new Error(
        `No model in the catalog reaches a BFCL v3 overall score of ${minQuality} (the best is ${Math.max(...catalog.map((e) => bfclOverall(e) ?? 0))}). Lower minQuality.`,
      );
    }
  }
  return { entries, notes };
}
