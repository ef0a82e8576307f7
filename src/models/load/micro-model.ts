import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ModelFileError } from "./errors.js";

/** The name that opens Hearth Micro wherever a model is named (`--model micro`, `modelPath: "micro"`). */
export const MICRO_MODEL_NAME = "micro";

/** The built-in tools Hearth Micro was trained to use, and the only ones it knows. */
export const MICRO_TOOL_NAMES: readonly string[] = [
  "calculator",
  "current_time",
  "search_documents",
];

/** Hearth Micro's file, shipped at the package root. */
export const MICRO_MODEL_FILE = fileURLToPath(
  new URL("../../../models/hearth-micro.gguf", import.meta.url),
);

/** The shipped file's path; fails naming the file and how to build it when it is absent. */
export function microModelFile(): string {
  if (!existsSync(MICRO_MODEL_FILE)) {
    throw new ModelFileError(
      "missing",
      MICRO_MODEL_FILE,
      `Hearth Micro's model file ${MICRO_MODEL_FILE} is missing. Build it with \`npm run train:micro\` in a checkout of the repository, or pass another model (a GGUF path or an hf: URI).`,
    );
  }
  return MICRO_MODEL_FILE;
}
