import { readFile } from "node:fs/promises";
import { isBfclQuestion, readBfclFiles } from "./bfcl/import.js";
import { builtinSuite } from "./builtin-suite/index.js";
import { SuiteFormatError } from "./suite-format/errors.js";
import { parseSuiteJsonl } from "./suite-format/jsonl.js";
import type { EvalSuite } from "./suite-format/types.js";

/**
 * `builtin`, a Hearth suite (.jsonl), or a BFCL question file (its answers are looked up in
 * `possible_answer/` next to it). The format is recognised from the first case.
 */
export async function loadSuite(spec: string): Promise<EvalSuite> {
  if (spec === "builtin") return builtinSuite();
  let text: string;
  try {
    text = await readFile(spec, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SuiteFormatError(
      code === "ENOENT"
        ? 'file not found (give "builtin" or the path of a .jsonl suite or a BFCL question file)'
        : (error as Error).message,
      spec,
    );
  }
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== "");
  let first: unknown;
  try {
    first = firstLine === undefined ? undefined : JSON.parse(firstLine);
  } catch {
    // Let the suite parser report the bad line with its number.
  }
  return isBfclQuestion(first) ? readBfclFiles(spec) : parseSuiteJsonl(text, spec);
}
