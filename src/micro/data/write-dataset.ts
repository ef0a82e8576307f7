import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { planEpisodes, type ThreadShape } from "./episodes.js";
import type { Step } from "./oracle.js";
import type { Split } from "./phrasings.js";
import { type EpisodeExample, EpisodeRunner } from "./run-episodes.js";
import { SharedPrefixes } from "./shared-prefixes.js";

export interface WriteDatasetOptions {
  /** GGUF whose tokenizer and chat template render the prompts (the micro model's file). */
  tokenizer: string;
  split: Split;
  seed: number;
  episodes: number;
  /** JSONL in the fixed format: `prefix` lines, then `example` lines. */
  out: string;
  /** Every prefix once, then every suffix and target, as text (the vocabulary learner's corpus). */
  textOut?: string;
  docsFolder: string;
  contextSize?: number;
  /** Thread lengths (default SHORT_THREADS, the shipped model's). */
  threads?: ThreadShape;
  /** Called every this many episodes. */
  onProgress?: (done: number, total: number) => void;
}

export interface DatasetStats {
  episodes: number;
  examples: number;
  prefixes: number;
  seconds: number;
  episodesPerSecond: number;
  examplesPerEpisode: number;
  steps: Record<Step, number>;
  /** Verdict targets that reject the draft. */
  negativeVerdicts: number;
  mean: { prompt: number; prefix: number; suffix: number; target: number };
  maxPrompt: number;
}

/** A prefix line, then the examples that use it (the fixed JSONL format of the micro dataset). */
export function prefixLine(id: number, tokens: number[]): string {
  return JSON.stringify({ kind: "prefix", id, tokens });
}

export function exampleLine(
  prefix: number,
  example: Pick<EpisodeExample, "step" | "split">,
  suffix: number[],
  target: number[],
): string {
  return JSON.stringify({
    kind: "example",
    prefix,
    suffix,
    target,
    step: example.step,
    split: example.split,
  });
}

async function write(stream: WriteStream, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) await once(stream, "drain");
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, "finish");
}

/**
 * Plans `episodes` episodes, runs each through the real agent graph on the recording model,
 * and writes one example per model call, with each group's shared prefix written once.
 */
export async function writeDataset(options: WriteDatasetOptions): Promise<DatasetStats> {
  const started = performance.now();
  const runner = new EpisodeRunner({
    modelPath: options.tokenizer,
    docsFolder: options.docsFolder,
    contextSize: options.contextSize,
  });
  type Kept = {
    step: Step;
    split: Split;
    target: number[];
    promptText: string;
    targetText: string;
    promptLength: number;
  };
  const prefixes = new SharedPrefixes<Kept>();
  const steps: Record<Step, number> = {
    route: 0,
    call: 0,
    answer: 0,
    verdict: 0,
    direct: 0,
    retry: 0,
  };
  let negativeVerdicts = 0;
  let examples = 0;
  let maxPrompt = 0;
  let promptTokens = 0;
  let targetTokens = 0;
  const planned = planEpisodes({
    split: options.split,
    seed: options.seed,
    count: options.episodes,
    threads: options.threads,
  });
  try {
    for (const [index, episode] of planned.entries()) {
      for (const example of await runner.run(episode)) {
        examples++;
        steps[example.step]++;
        if (example.step === "verdict" && example.targetText.includes('"grounded": false')) {
          negativeVerdicts++;
        }
        promptTokens += example.prompt.length;
        targetTokens += example.target.length;
        maxPrompt = Math.max(maxPrompt, example.prompt.length + example.target.length);
        prefixes.add(example.group, example.prompt, {
          step: example.step,
          split: example.split,
          target: example.target,
          promptText: options.textOut ? example.promptText : "",
          targetText: options.textOut ? example.targetText : "",
          promptLength: example.prompt.length,
        });
      }
      if ((index + 1) % 100 === 0) options.onProgress?.(index + 1, planned.length);
    }
    const model = (await runner.model.ensureLoaded()).model;
    const out = createWriteStream(options.out);
    const text = options.textOut ? createWriteStream(options.textOut) : undefined;
    let id = 0;
    let prefixTokens = 0;
    let suffixTokens = 0;
    for (const group of prefixes.entries()) {
      await write(out, prefixLine(id, group.prefix));
      const prefixText = model.detokenize(group.prefix as never, true);
      if (text) await write(text, prefixText);
      for (const item of group.items) {
        prefixTokens += group.prefix.length;
        suffixTokens += item.suffix.length;
        await write(out, exampleLine(id, item.value, item.suffix, item.value.target));
        if (text) {
          const prompt = item.value.promptText;
          const rest = prompt.startsWith(prefixText) ? prompt.slice(prefixText.length) : prompt;
          await write(text, `${rest}${item.value.targetText}`);
        }
      }
      id++;
    }
    await close(out);
    if (text) await close(text);
    const seconds = (performance.now() - started) / 1000;
    const per = (total: number) => (examples === 0 ? 0 : Math.round((total / examples) * 10) / 10);
    return {
      episodes: planned.length,
      examples,
      prefixes: id,
      seconds: Math.round(seconds * 10) / 10,
      episodesPerSecond: Math.round((planned.length / seconds) * 10) / 10,
      examplesPerEpisode: Math.round((examples / Math.max(1, planned.length)) * 100) / 100,
      steps,
      negativeVerdicts,
      mean: {
        prompt: per(promptTokens),
        prefix: per(prefixTokens),
        suffix: per(suffixTokens),
        target: per(targetTokens),
      },
      maxPrompt,
    };
  } finally {
    await runner.dispose();
  }
}
