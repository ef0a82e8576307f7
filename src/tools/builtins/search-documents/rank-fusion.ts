/**
 * Reciprocal-rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each list gives an item
 * 1 / (k + rank), rank counted from 1, and the sums decide the order. It needs no score
 * calibration between BM25 and cosine similarity, only ranks. k = 60 as in the paper. Ties keep
 * the order in which items were first seen, list by list.
 */
export const RRF_K = 60;

export interface FusedItem {
  key: string;
  score: number;
  /** The item's rank (from 1) in each input list that has it, by list index. */
  ranks: Array<number | undefined>;
}

export function reciprocalRankFusion(
  lists: readonly (readonly string[])[],
  k = RRF_K,
): FusedItem[] {
  const fused = new Map<string, FusedItem>();
  lists.forEach((list, listIndex) => {
    list.forEach((key, position) => {
      let item = fused.get(key);
      if (!item) {
        item = { key, score: 0, ranks: lists.map(() => undefined) };
        fused.set(key, item);
      }
      if (item.ranks[listIndex] !== undefined) return;
      item.ranks[listIndex] = position + 1;
      item.score += 1 / (k + position + 1);
    });
  });
  // Array.prototype.sort is stable, so equal scores keep first-seen order.
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
