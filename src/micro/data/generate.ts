/**
 * Writes the Hearth Micro training data: episodes over the built-in tools run through the real
 * agent graph, one (prompt → target) example per model call.
 *
 *   npx tsx src/micro/data/generate.ts --tokenizer model.gguf --split train --seed 1 \
 *     --episodes 3000 --out .cache/micro/train.jsonl [--text-out .cache/micro/corpus.txt]
 *     [--docs examples/docs] [--context N]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { writeDataset } from "./write-dataset.js";

function fail(message: string): never {
  process.stderr.write(`generate: ${message}\n`);
  process.exit(2);
}

function integer(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    fail(`--${name} must be a whole number ≥ 0, got "${value}"`);
  return number;
}

const { values } = parseArgs({
  options: {
    tokenizer: { type: "string" },
    split: { type: "string", default: "train" },
    seed: { type: "string" },
    episodes: { type: "string" },
    out: { type: "string" },
    "text-out": { type: "string" },
    docs: { type: "string", default: "examples/docs" },
    context: { type: "string" },
  },
});
if (!values.tokenizer)
  fail(
    "--tokenizer <gguf> is required (the micro model's file, or any GGUF with its vocabulary and template)",
  );
if (!values.out) fail("--out <file.jsonl> is required");
if (values.split !== "train" && values.split !== "heldout")
  fail(`--split must be train or heldout, got "${values.split}"`);

const stats = await writeDataset({
  tokenizer: path.resolve(values.tokenizer),
  split: values.split,
  seed: integer("seed", values.seed, 1),
  episodes: integer("episodes", values.episodes),
  out: path.resolve(values.out),
  textOut: values["text-out"] ? path.resolve(values["text-out"]) : undefined,
  docsFolder: path.resolve(values.docs),
  contextSize: values.context === undefined ? undefined : integer("context", values.context),
  onProgress: (done, total) => process.stderr.write(`generate: ${done}/${total} episodes\n`),
});
process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
