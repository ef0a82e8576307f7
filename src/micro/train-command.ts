/**
 * `npm run train:micro`: rebuilds Hearth Micro from nothing (data, vocabulary, PyTorch training,
 * GGUF export) into models/hearth-micro.gguf. Flags:
 *   --minutes N (training budget, default 72)  --steps N  --episodes N (default 14000)
 *   --heldout N (default 400)  --pieces N (default 6000)  --processes N (default 2, data-parallel)
 *   --threads N (per process, default 1)
 *   --polish-minutes N (the second stage's budget, default 14; 0 trains one stage)  --polish-steps N
 * The defaults are the recipe of the shipped file.
 *   --seed N (default 1)  --out FILE  --work DIR (default .cache/micro)
 *   --data-only (stop after the datasets)  --reuse-data (train on the work dir's datasets)
 *   --long-threads (threads of up to four questions, not one or two; not the shipped recipe)
 *   -- <trainer flags>
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { MICRO_MODEL_FILE } from "../models/load/micro-model.js";
import { LONG_THREADS } from "./data/index.js";
import { trainMicroModel } from "./pipeline.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    minutes: { type: "string", default: "72" },
    steps: { type: "string" },
    episodes: { type: "string", default: "14000" },
    heldout: { type: "string", default: "400" },
    pieces: { type: "string", default: "6000" },
    threads: { type: "string", default: "1" },
    processes: { type: "string", default: "2" },
    seed: { type: "string", default: "1" },
    "polish-minutes": { type: "string", default: "14" },
    "polish-steps": { type: "string" },
    out: { type: "string", default: MICRO_MODEL_FILE },
    work: { type: "string", default: ".cache/micro" },
    "data-only": { type: "boolean", default: false },
    "reuse-data": { type: "boolean", default: false },
    "long-threads": { type: "boolean", default: false },
  },
});

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`train:micro: --${name} must be a positive number, got "${text}"\n`);
    process.exit(2);
  }
  return value;
}

// --polish-minutes 0 (and no --polish-steps) trains the first stage alone.
const polishMinutes =
  values["polish-minutes"] === "0" ? undefined : count("polish-minutes", values["polish-minutes"]);
const polishSteps = count("polish-steps", values["polish-steps"]);
const polish =
  polishMinutes === undefined && polishSteps === undefined
    ? undefined
    : { minutes: polishMinutes, steps: polishSteps };

const started = performance.now();
const result = await trainMicroModel({
  workDir: values.work!,
  out: values.out!,
  trainEpisodes: count("episodes", values.episodes)!,
  heldOutEpisodes: count("heldout", values.heldout)!,
  pieces: count("pieces", values.pieces)!,
  minutes: count("minutes", values.minutes),
  steps: count("steps", values.steps),
  threads: count("threads", values.threads)!,
  processes: count("processes", values.processes)!,
  seed: count("seed", values.seed)!,
  trainerArgs: positionals,
  threadShape: values["long-threads"] ? LONG_THREADS : undefined,
  polish,
  dataOnly: values["data-only"],
  reuseData: values["reuse-data"],
});
if (values["data-only"]) {
  console.log(`Hearth Micro data in ${values.work}: phases (s): ${JSON.stringify(result.seconds)}`);
  process.exit(0);
}
const minutes = ((performance.now() - started) / 60000).toFixed(1);
console.log(
  `Hearth Micro: ${path.relative(process.cwd(), result.out)} (${(result.bytes / 1e6).toFixed(1)} MB, ${result.vocabularySize} pieces) in ${minutes} min; phases (s): ${JSON.stringify(result.seconds)}; learning curve: ${result.curve}`,
);
