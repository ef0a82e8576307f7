import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type ThreadShape, writeDataset } from "./data/index.js";
import { microShape, writeMicroModel } from "./model-file.js";
import {
  learnMicroVocabulary,
  loadVocabulary,
  markedPairs,
  saveVocabulary,
} from "./vocabulary/index.js";

const CORPUS_EPISODES = 2000;
/**
 * The loss weight of number targets. Side by side (75 min each, same data and seed), weight 4
 * wrote more calls exactly right on held-out examples (0.70 against 0.48) and more right time
 * zones and answers through the graph than weight 1; flags after `--` override it.
 */
const NUMBER_WEIGHT = 4;
/**
 * The bootstrap tokenizer's context: its pieces are bytes, so a long thread takes several times
 * the tokens it takes with the learned vocabulary. Its file declares this trained length, or
 * node-llama-cpp would cap the context at the micro model's 8K and such a thread would not fit.
 */
const BOOTSTRAP_CONTEXT = 32768;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/**
 * The second stage's trainer flags: whole prompts from the start, a lower rate, and the examples
 * learned last (answers that copy the result, retries, calls) drawn more often. Route and direct
 * examples are drawn twice as often too, so their share of the draws stays what it was in the
 * first stage (a quarter, not 15%); measured against the mix without them, held-out routing came
 * out one case better and the other scores within a case or two (README, Hearth Micro).
 */
const POLISH_ARGS = [
  ...["--short-fraction", "0", "--ramp-fraction", "0", "--lr", "1e-3", "--warmup", "10"],
  ...["--oversample", "answer=3,retry=2,call=2,route=2,direct=2"],
];

export interface MicroPipelineOptions {
  /** Where the intermediate files go (vocabulary, datasets, weights, learning curve). */
  workDir: string;
  /** The trained GGUF. */
  out: string;
  trainEpisodes: number;
  heldOutEpisodes: number;
  /** BPE merges learned from the training prompts (the vocabulary adds numbers and specials). */
  pieces: number;
  /** Training budget: wall-clock minutes and/or steps, whichever ends first. */
  minutes?: number;
  steps?: number;
  /** Threads per training process. */
  threads: number;
  /** Data-parallel training processes (default 1): 2 uses two cores far better than 2 threads. */
  processes?: number;
  /** Extra trainer flags (e.g. `--batch 8`), passed through (to both stages). */
  trainerArgs?: string[];
  /**
   * A second stage from the first one's weights (see POLISH_ARGS), with its own budget; the
   * first stage's weights and curve stay in workDir/weights-stage1.
   */
  polish?: { minutes?: number; steps?: number };
  seed: number;
  docsFolder?: string;
  python?: string;
  /** Stop after the datasets (to train later, or elsewhere). */
  dataOnly?: boolean;
  /** Conversation lengths of the generated episodes (default SHORT_THREADS). */
  threadShape?: ThreadShape;
  /**
   * Train on the vocabulary and datasets already in workDir (from an earlier run with the same
   * seed and episode counts) instead of generating them again.
   */
  reuseData?: boolean;
  log?: (line: string) => void;
}

export interface MicroPipelineResult {
  out: string;
  bytes: number;
  vocabularySize: number;
  seconds: Record<"corpus" | "vocabulary" | "data" | "train" | "polish" | "export", number>;
  /** The learning curve of the stage that wrote the weights (the first one's beside it, with polish). */
  curve: string;
}

/** Lines of a text file, streamed (the corpus can be tens of megabytes). */
async function* lines(file: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  for await (const line of reader) yield line;
}

function run(command: string, args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) log(line);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", (error) =>
      reject(
        new Error(
          `Could not start ${command} (${error.message}). The trainer needs Debian's PyTorch: apt-get install python3-torch python3-numpy libopenblas0-pthread`,
        ),
      ),
    );
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/**
 * Hearth Micro from nothing: the training prompts are rendered by Hearth's own chat path, so
 * the vocabulary is learned from them first (on a bootstrap tokenizer: only the text is kept),
 * then the datasets are tokenized by the micro vocabulary itself, PyTorch trains the weights
 * (a build-time tool; the runtime stays TypeScript) and the project's GGUF writer exports them.
 */
export async function trainMicroModel(options: MicroPipelineOptions): Promise<MicroPipelineResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const work = path.resolve(options.workDir);
  await mkdir(work, { recursive: true });
  const docsFolder = path.resolve(options.docsFolder ?? path.join(ROOT, "examples/docs"));
  const file = (name: string) => path.join(work, name);
  const seconds = { corpus: 0, vocabulary: 0, data: 0, train: 0, polish: 0, export: 0 };
  const timed = async <T>(phase: keyof typeof seconds, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      seconds[phase] = Math.round((performance.now() - started) / 100) / 10;
    }
  };

  const reuse = options.reuseData === true;
  if (reuse) {
    for (const name of ["vocabulary.json", "train.jsonl", "heldout.jsonl"]) {
      await stat(file(name)).catch(() => {
        throw new Error(
          `--reuse-data: ${file(name)} is missing; run once without it to generate the data.`,
        );
      });
    }
  }
  // 1. The prompts' text, rendered through a tokenizer that only needs the template: the
  // vocabulary learner reads text, so any vocabulary renders it the same.
  if (!reuse)
    await timed("corpus", async () => {
      const bootstrap = learnMicroVocabulary([], { pieces: 0 });
      await writeMicroModel({
        out: file("bootstrap.gguf"),
        vocabulary: bootstrap,
        shape: microShape(bootstrap.tokens.length, { contextLength: BOOTSTRAP_CONTEXT }),
      });
      log("micro: rendering the training prompts' text (bootstrap tokenizer)");
      await writeDataset({
        tokenizer: file("bootstrap.gguf"),
        split: "train",
        seed: options.seed,
        // The vocabulary needs the wording, not every number: a few thousand episodes cover it.
        episodes: Math.min(options.trainEpisodes, CORPUS_EPISODES),
        out: file("bootstrap.jsonl"),
        textOut: file("corpus.txt"),
        docsFolder,
        contextSize: BOOTSTRAP_CONTEXT,
        threads: options.threadShape,
      });
    });

  // 2. The vocabulary, learned from that text, and a tokenizer file carrying it.
  const vocabulary = await timed("vocabulary", async () => {
    if (reuse) return loadVocabulary(file("vocabulary.json"));
    const vocabulary = learnMicroVocabulary(await collect(lines(file("corpus.txt"))), {
      pieces: options.pieces,
    });
    await saveVocabulary(file("vocabulary.json"), vocabulary);
    await writeMicroModel({ out: file("tokenizer.gguf"), vocabulary });
    log(`micro: vocabulary of ${vocabulary.tokens.length} pieces`);
    return vocabulary;
  });

  // 3. The datasets, tokenized by the micro vocabulary through the real chat path.
  if (!reuse)
    await timed("data", async () => {
      for (const [split, seed, episodes] of [
        ["train", options.seed, options.trainEpisodes],
        ["heldout", options.seed + 1000, options.heldOutEpisodes],
      ] as const) {
        const stats = await writeDataset({
          tokenizer: file("tokenizer.gguf"),
          split,
          seed,
          episodes,
          out: file(`${split}.jsonl`),
          docsFolder,
          threads: options.threadShape,
        });
        log(
          `micro: ${split}: ${stats.examples} examples from ${stats.episodes} episodes, mean prompt ${Math.round(stats.mean.prompt)} tokens (prefix ${Math.round(stats.mean.prefix)}), mean target ${Math.round(stats.mean.target)}`,
        );
      }
    });

  if (options.dataOnly) {
    return { out: "", bytes: 0, vocabularySize: vocabulary.tokens.length, seconds, curve: "" };
  }
  // 4. Training (PyTorch, fixed seeds), in one stage or two.
  await writeFile(file("tied-pieces.json"), JSON.stringify(markedPairs(vocabulary)));
  const trainer = (
    out: string,
    budget: { minutes?: number; steps?: number },
    seed: number,
    stageArgs: string[],
  ) => [
    path.join(ROOT, "training/micro/train.py"),
    "--data",
    file("train.jsonl"),
    "--eval",
    file("heldout.jsonl"),
    "--out",
    out,
    "--vocab-size",
    String(vocabulary.tokens.length),
    "--tied-pieces",
    file("tied-pieces.json"),
    "--vocabulary",
    file("vocabulary.json"),
    "--compose-numbers",
    "--number-weight",
    String(NUMBER_WEIGHT),
    "--threads",
    String(options.threads),
    "--processes",
    String(options.processes ?? 1),
    "--seed",
    String(seed),
    ...(budget.minutes !== undefined ? ["--minutes", String(budget.minutes)] : []),
    ...(budget.steps !== undefined ? ["--steps", String(budget.steps)] : []),
    ...stageArgs,
    ...(options.trainerArgs ?? []),
  ];
  const python = options.python ?? "/usr/bin/python3";
  const firstOut = file(options.polish ? "weights-stage1" : "weights");
  await timed("train", () =>
    run(
      python,
      trainer(firstOut, { minutes: options.minutes, steps: options.steps }, options.seed, []),
      log,
    ),
  );
  if (options.polish) {
    const polish = options.polish;
    await timed("polish", () =>
      run(
        python,
        trainer(file("weights"), polish, options.seed + 1, [
          ...POLISH_ARGS,
          "--init-from",
          firstOut,
        ]),
        log,
      ),
    );
  }

  // 5. Export through the project's GGUF writer (written aside, then moved: never half a file).
  await timed("export", async () => {
    await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    const partial = `${path.resolve(options.out)}.partial`;
    await writeMicroModel({ out: partial, vocabulary, weights: file("weights") });
    await rename(partial, path.resolve(options.out));
  });
  const { size } = await stat(options.out);
  return {
    out: path.resolve(options.out),
    bytes: size,
    vocabularySize: vocabulary.tokens.length,
    seconds,
    curve: file("weights/curve.csv"),
  };
}

async function collect(source: AsyncGenerator<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of source) all.push(line);
  return all;
}
