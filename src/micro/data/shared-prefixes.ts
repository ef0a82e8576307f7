/**
 * Splits prompts into a prefix shared by their group (the longest common prefix of every
 * prompt with the same system prompt and tool set) and a per-example suffix, so the dataset
 * holds the ~1K-token system block once per group and training can evaluate it once per batch.
 *
 * Prompts arrive one at a time and the common prefix can only shrink, so each is stored as the
 * tokens past the common length at the time it arrived; the tokens between the final and that
 * length are the group's first prompt's, which every prompt of the group shares up to there.
 */
export class SharedPrefixes<T> {
  private readonly groups = new Map<
    string,
    { first: number[]; common: number; items: { cut: number; rest: number[]; value: T }[] }
  >();

  add(group: string, prompt: number[], value: T): void {
    const entry = this.groups.get(group);
    if (!entry) {
      this.groups.set(group, {
        first: prompt,
        // Every suffix keeps at least one token.
        common: Math.max(0, prompt.length - 1),
        items: [{ cut: prompt.length, rest: [], value }],
      });
      return;
    }
    let same = 0;
    const limit = Math.min(entry.common, prompt.length - 1);
    while (same < limit && entry.first[same] === prompt[same]) same++;
    entry.common = same;
    entry.items.push({ cut: same, rest: prompt.slice(same), value });
  }

  /** Each group's prefix and its items with their suffixes, in the order they were added. */
  *entries(): Generator<{
    group: string;
    prefix: number[];
    items: { suffix: number[]; value: T }[];
  }> {
    for (const [group, entry] of this.groups) {
      const common = entry.common;
      yield {
        group,
        prefix: entry.first.slice(0, common),
        items: entry.items.map((item) => ({
          suffix: [...entry.first.slice(common, item.cut), ...item.rest],
          value: item.value,
        })),
      };
    }
  }
}
