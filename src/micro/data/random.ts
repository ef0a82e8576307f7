import { SeededRandom } from "../../testing/gguf-writer/random.js";

/** Seeded choices for the episode generator: the same seed gives the same dataset. */
export class Dice {
  private readonly random: SeededRandom;

  constructor(seed: number, label: string) {
    this.random = SeededRandom.fromString(seed, label);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.random.nextUint32() / 2 ** 32;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("Dice.pick: nothing to pick from");
    return items[Math.floor(this.next() * items.length)];
  }
}
