import { checkNumberOption } from "../../util/number-range.js";
import type { SamplingOptions } from "./options.js";

/**
 * Sampling options checked where they are given (constructor or call), so a bad value fails with
 * its name and range instead of later as a misleading error from deep inside generation
 * (`maxTokens: 0` used to surface as a context-shift failure).
 */
export function checkSamplingOptions(options: SamplingOptions): void {
  checkNumberOption("maxTokens", options.maxTokens, { integer: true, min: 1 });
  checkNumberOption("temperature", options.temperature, { min: 0 });
  checkNumberOption("topK", options.topK, { integer: true, min: 0 });
  checkNumberOption("topP", options.topP, { min: 0, max: 1 });
  checkNumberOption("seed", options.seed, { integer: true, min: 0 });
  const thinking = options.thinking;
  if (thinking !== undefined && typeof thinking === "object") {
    checkNumberOption("thinking.budget", thinking.budget, { integer: true, min: 0 });
  }
}

/** The chat model's own sizing options. */
export function checkModelOptions(options: {
  sequences?: number;
  maxQueue?: number;
  batchSize?: number;
}): void {
  checkNumberOption("sequences", options.sequences, { integer: true, min: 1 });
  checkNumberOption("maxQueue", options.maxQueue, { integer: true, min: 0 });
  checkNumberOption("batchSize", options.batchSize, { integer: true, min: 1 });
}
