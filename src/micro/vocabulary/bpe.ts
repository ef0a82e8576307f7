/**
 * Byte-pair-encoding training (Sennrich et al. 2016, "Neural Machine Translation of Rare Words
 * with Subword Units"; SentencePiece's BPE trainer works the same way) over a table of words and
 * their counts, not the raw text: a corpus of tens of megabytes of rendered prompts holds a few
 * tens of thousands of distinct words. Written here because no npm package trains an SPM-style
 * vocabulary that llama.cpp's tokenizer reproduces (scores = merge order, no cross-word merges).
 */

import { getOrCreate } from "../../util/get-or-create.js";

export interface BpeMerge {
  left: string;
  right: string;
  piece: string;
  /** How many times the pair occurred (weighted by word counts) when it was merged. */
  count: number;
}

export interface BpeResult {
  /** Every character the words use, most frequent first (ties by code point). */
  alphabet: string[];
  /** Learned pieces in merge order: rank 0 was merged first. */
  merges: BpeMerge[];
}

export interface BpeOptions {
  /** Pieces to learn at most. */
  merges: number;
  /** Pairs seen fewer times are not merged (default 2). */
  minCount?: number;
  /** Longest piece, in characters (default 16, SentencePiece's max_piece_length). */
  maxPieceLength?: number;
}

/** A max-heap of (count, pair) ordered by count, then by the merged piece, so ties are deterministic. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];
  constructor(private readonly pieceOf: (key: number) => string) {}

  get size(): number {
    return this.keys.length;
  }

  private before(a: number, b: number): boolean {
    if (this.counts[a] !== this.counts[b]) return this.counts[a] > this.counts[b];
    const left = this.pieceOf(this.keys[a]);
    const right = this.pieceOf(this.keys[b]);
    if (left !== right) return left < right;
    return this.keys[a] < this.keys[b];
  }

  private swap(a: number, b: number): void {
    [this.counts[a], this.counts[b]] = [this.counts[b], this.counts[a]];
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let at = this.keys.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(at, parent)) break;
      this.swap(at, parent);
      at = parent;
    }
  }

  pop(): [count: number, key: number] {
    const top: [number, number] = [this.counts[0], this.keys[0]];
    const lastCount = this.counts.pop() as number;
    const lastKey = this.keys.pop() as number;
    if (this.keys.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let at = 0;
      for (;;) {
        const left = at * 2 + 1;
        const right = left + 1;
        let best = at;
        if (left < this.keys.length && this.before(left, best)) best = left;
        if (right < this.keys.length && this.before(right, best)) best = right;
        if (best === at) break;
        this.swap(at, best);
        at = best;
      }
    }
    return top;
  }
}

// Pair keys pack two symbol ids into one number (ids stay far below 2^21).
const SHIFT = 2 ** 21;

/**
 * Learns merges from word counts. Each step merges the most frequent adjacent pair (ties: the
 * lexicographically smaller piece), updating only the words that contain it. A pair whose piece
 * already exists (reached by another split) reuses that piece.
 */
export function learnBpe(words: Map<string, number>, options: BpeOptions): BpeResult {
  const minCount = options.minCount ?? 2;
  const maxLength = options.maxPieceLength ?? 16;
  const characterCounts = new Map<string, number>();
  for (const [word, count] of words) {
    for (const char of word) characterCounts.set(char, (characterCounts.get(char) ?? 0) + count);
  }
  const alphabet = [...characterCounts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([char]) => char);

  const symbols: string[] = [];
  const lengths: number[] = [];
  const idOf = new Map<string, number>();
  const intern = (piece: string, length: number): number => {
    let id = idOf.get(piece);
    if (id === undefined) {
      id = symbols.length;
      symbols.push(piece);
      lengths.push(length);
      idOf.set(piece, id);
    }
    return id;
  };
  for (const char of alphabet) intern(char, 1);
  if (symbols.length >= SHIFT) throw new Error(`Too many distinct characters (${symbols.length}).`);

  const sequences: number[][] = [];
  const frequencies: number[] = [];
  for (const [word, count] of words) {
    sequences.push(Array.from(word, (char) => idOf.get(char) as number));
    frequencies.push(count);
  }

  const pairCounts = new Map<number, number>();
  // Words that contain (or once contained) each pair; checked again when the pair is merged.
  const pairWords = new Map<number, number[]>();
  const noteWord = (pair: number, index: number) => {
    const list = getOrCreate(pairWords, pair, () => []);
    if (list[list.length - 1] !== index) list.push(index);
  };
  const pieceOfKey = (key: number) => symbols[Math.floor(key / SHIFT)] + symbols[key % SHIFT];
  const heap = new PairHeap(pieceOfKey);
  const tooLong = (key: number) =>
    lengths[Math.floor(key / SHIFT)] + lengths[key % SHIFT] > maxLength;

  for (const [index, sequence] of sequences.entries()) {
    for (let at = 0; at + 1 < sequence.length; at++) {
      const key = sequence[at] * SHIFT + sequence[at + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + frequencies[index]);
      noteWord(key, index);
    }
  }
  for (const [key, count] of pairCounts) if (!tooLong(key)) heap.push(count, key);

  const merges: BpeMerge[] = [];
  const seenInStep = new Int32Array(sequences.length).fill(-1);
  let step = 0;
  while (merges.length < options.merges && heap.size > 0) {
    const [count, key] = heap.pop();
    if (pairCounts.get(key) !== count) continue; // stale: a newer entry holds the current count
    if (count < minCount) break;
    const left = Math.floor(key / SHIFT);
    const right = key % SHIFT;
    const piece = symbols[left] + symbols[right];
    const isNew = !idOf.has(piece);
    const merged = intern(piece, lengths[left] + lengths[right]);
    if (merged >= SHIFT) break;
    if (isNew) merges.push({ left: symbols[left], right: symbols[right], piece, count });

    const changed = new Map<number, number>();
    const adjust = (pair: number, delta: number) => {
      pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + delta);
      changed.set(pair, (changed.get(pair) ?? 0) + delta);
    };
    step++;
    for (const index of pairWords.get(key) ?? []) {
      if (seenInStep[index] === step) continue;
      seenInStep[index] = step;
      const sequence = sequences[index];
      let found = false;
      for (let at = 0; at + 1 < sequence.length; at++) {
        if (sequence[at] === left && sequence[at + 1] === right) {
          found = true;
          break;
        }
      }
      if (!found) continue;
      const frequency = frequencies[index];
      for (let at = 0; at + 1 < sequence.length; at++)
        adjust(sequence[at] * SHIFT + sequence[at + 1], -frequency);
      const next: number[] = [];
      for (let at = 0; at < sequence.length; at++) {
        if (at + 1 < sequence.length && sequence[at] === left && sequence[at + 1] === right) {
          next.push(merged);
          at++;
        } else {
          next.push(sequence[at]);
        }
      }
      sequences[index] = next;
      for (let at = 0; at + 1 < next.length; at++) {
        const pair = next[at] * SHIFT + next[at + 1];
        adjust(pair, frequency);
        if (next[at] === merged || next[at + 1] === merged) {
          noteWord(pair, index);
        }
      }
    }
    pairWords.delete(key);
    pairCounts.delete(key);
    for (const [pair, delta] of changed) {
      const current = pairCounts.get(pair) ?? 0;
      if (current <= 0) pairCounts.delete(pair);
      else if (delta !== 0 && pair !== key && !tooLong(pair)) heap.push(current, pair);
    }
  }
  return { alphabet, merges };
}
