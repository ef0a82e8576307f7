// Training data for Hearth Micro: episodes over the built-in tools, run through the real agent
// graph on a recording chat model, written as (prompt → target) examples per model call.
export { PLACES, type Place } from "./cities.js";
export { DOC_FACTS, type DocFact, TOPIC_FRAMES, topicQuestions } from "./doc-facts.js";
export {
  type Episode,
  GOOD_VERDICT,
  LONG_THREADS,
  planEpisodes,
  type QuestionKind,
  readTime,
  SHORT_THREADS,
  type ThreadShape,
  type ToolName,
  type TurnPlan,
  type Verdict,
  type WrongDraft,
} from "./episodes.js";
export { type OracleOutput, type Step, TurnOracle } from "./oracle.js";
export type { Split } from "./phrasings.js";
export { type RecordedCall, RecordingChatModel } from "./recorder.js";
export { type EpisodeExample, EpisodeRunner, type EpisodeRunnerOptions } from "./run-episodes.js";
export { SharedPrefixes } from "./shared-prefixes.js";
export { forcedCallTarget, freeTextTarget, structuredJson, type Target } from "./targets.js";
export { type DatasetStats, type WriteDatasetOptions, writeDataset } from "./write-dataset.js";
