import type { EvalCase } from "../suite-format/types.js";

/**
 * Up to `limit` cases taken round-robin over categories (in suite order within each), so a
 * short run still samples every category instead of only the first one in the file.
 */
export function selectCases(cases: EvalCase[], limit?: number): EvalCase[] {
  if (limit === undefined || limit >= cases.length) return cases;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a whole number of at least 1; got ${limit}`);
  const queues = new Map<string, EvalCase[]>();
  for (const testCase of cases) {
    const queue = queues.get(testCase.category) ?? [];
    queue.push(testCase);
    queues.set(testCase.category, queue);
  }
  const chosen = new Set<EvalCase>();
  while (chosen.size < limit) {
    for (const queue of queues.values()) {
      const next = queue.shift();
      if (next && chosen.size < limit) chosen.add(next);
    }
  }
  // Keep the suite's order so reports read like the file.
  return cases.filter((testCase) => chosen.has(testCase));
}
