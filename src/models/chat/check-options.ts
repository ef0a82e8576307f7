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

/** LangChain's own fields, which Hearth implements: each must hold a value it can use. */
export function checkLangChainFields(options: {
  timeout?: number;
  maxRetries?: number;
  stopSequences?: unknown;
}): void {
  checkNumberOption("timeout (milliseconds per call)", options.timeout, { min: 1 });
  checkNumberOption("maxRetries", options.maxRetries, { integer: true, min: 0 });
  const stops = options.stopSequences;
  if (stops !== undefined && !(Array.isArray(stops) && stops.every((s) => typeof s === "string"))) {
    throw new RangeError("stopSequences must be an array of strings (it is merged with `stop`).");
  }
}
