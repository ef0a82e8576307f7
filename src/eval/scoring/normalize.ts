/**
 * BFCL's string standardisation: drop spaces and `,./-_*^`, lowercase, and turn single quotes into
 * double ones, so "April 1, 2024" and "april 1 2024" compare equal.
 */
export function standardizeString(value: string): string {
  return value
    .replace(/[ ,./\-_*^]/g, "")
    .toLowerCase()
    .replace(/'/g, '"');
}

/** Tool names compare with dots read as underscores, as BFCL does for OpenAI-style function names. */
export function normalizeToolName(name: string): string {
  return name.replace(/\./g, "_");
}
