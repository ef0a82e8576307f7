import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { SuiteFormatError } from "./errors.js";
import { CaseFieldError, parseCase } from "./parse-case.js";
import type { EvalCase, EvalSuite } from "./types.js";

/** Parses a JSON Lines suite: one case per line; blank lines are skipped. */
export function parseSuiteJsonl(text: string, source = "suite.jsonl"): EvalSuite {
  const cases: EvalCase[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === "") continue;
    const lineNumber = index + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new SuiteFormatError(
        `not valid JSON (${(error as Error).message}); each line must hold one whole case`,
        source,
        lineNumber,
      );
    }
    let testCase: EvalCase;
    try {
      testCase = parseCase(raw);
    } catch (error) {
      if (error instanceof CaseFieldError) {
        throw new SuiteFormatError(error.message, source, lineNumber, error.field);
      }
      throw error;
    }
    const earlier = seen.get(testCase.id);
    if (earlier !== undefined) {
      throw new SuiteFormatError(
        `"${testCase.id}" was already used on line ${earlier}`,
        source,
        lineNumber,
        "id",
      );
    }
    seen.set(testCase.id, lineNumber);
    cases.push(testCase);
  }
  if (cases.length === 0) throw new SuiteFormatError("holds no cases", source);
  return { name: basename(source).replace(/\.jsonl?$/, ""), source, cases };
}

/** Writes a suite as JSON Lines, the format `parseSuiteJsonl` reads. */
export function suiteToJsonl(suite: EvalSuite): string {
  return `${suite.cases.map((testCase) => JSON.stringify(testCase)).join("\n")}\n`;
}

export async function readSuiteFile(path: string): Promise<EvalSuite> {
  return parseSuiteJsonl(await readFile(path, "utf8"), path);
}
