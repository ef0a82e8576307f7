export { SuiteFormatError } from "./errors.js";
export { parseSuiteJsonl, readSuiteFile, suiteToJsonl } from "./jsonl.js";
export { CaseFieldError, parseCase } from "./parse-case.js";
export * from "./types.js";
