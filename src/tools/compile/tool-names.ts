/** Tool names in one place: what the model writes, what OpenAI-compatible APIs accept, uniqueness. */

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** OpenAI's limit on function names, which chat templates and other backends share. */
const MAX_LENGTH = 64;

/**
 * A name OpenAI-compatible function calling accepts (`^[a-zA-Z0-9_-]{1,64}$`): each other
 * character becomes `_`, so BFCL's `math.factorial` is `math_factorial` (BFCL's own FC handlers
 * do the same).
 */
export function sanitizeToolName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, MAX_LENGTH);
}

/** The first name that occurs twice, if any: tool names must be unique among tools used together. */
export function duplicateToolName(names: Iterable<string>): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/**
 * Names for the model to write: identifiers (`[A-Za-z_][A-Za-z0-9_]*`, at most 64 characters)
 * because chat formats render tools as function signatures and some parse names as identifiers.
 * Safe names are kept as they are and claimed first; other names are rewritten (dots, spaces,
 * dashes → `_`) and made unique with a numeric suffix. The mapping is kept by the caller, not
 * decoded from the string.
 */
export function assignModelNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  const result: string[] = new Array(names.length);
  names.forEach((name, index) => {
    if (SAFE_NAME.test(name) && name.length <= MAX_LENGTH && !taken.has(name)) {
      result[index] = name;
      taken.add(name);
    }
  });
  names.forEach((name, index) => {
    if (result[index] !== undefined) return;
    let base = name.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
    if (base === "" || /^[0-9]/.test(base)) base = `tool_${base}`.replace(/_+$/, "");
    base = base.slice(0, MAX_LENGTH);
    let candidate = base;
    for (let suffix = 2; taken.has(candidate); suffix++) {
      const tail = `_${suffix}`;
      candidate = `${base.slice(0, MAX_LENGTH - tail.length)}${tail}`;
    }
    result[index] = candidate;
    taken.add(candidate);
  });
  return result;
}
