import { BaseCache } from "@langchain/core/caches";
import type { Generation } from "@langchain/core/outputs";

/** Marker placed in a call's identifying params; the cache stores only calls that carry it. */
export const DETERMINISTIC_MARKER = "hearthDeterministic:true";

/**
 * A bounded LRU LangChain cache that only keeps deterministic calls (greedy sampling or a
 * fixed seed): replaying a sampled answer to a caller who asked for sampling would be wrong.
 * LangChain's InMemoryCache grows without bound and caches every call, hence this class.
 */
export class DeterministicLruCache extends BaseCache {
  private readonly entries = new Map<string, Generation[]>();
  hits = 0;
  misses = 0;

  constructor(readonly maxEntries = 512) {
    super();
  }

  async lookup(prompt: string, llmKey: string): Promise<Generation[] | null> {
    if (!llmKey.includes(DETERMINISTIC_MARKER)) return null;
    const key = this.keyEncoder(prompt, llmKey);
    const found = this.entries.get(key);
    if (!found) {
      this.misses++;
      return null;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, found);
    return found;
  }

  async update(prompt: string, llmKey: string, value: Generation[]): Promise<void> {
    if (!llmKey.includes(DETERMINISTIC_MARKER)) return;
    const key = this.keyEncoder(prompt, llmKey);
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
