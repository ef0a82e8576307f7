export { type BpeMerge, type BpeOptions, type BpeResult, learnBpe } from "./bpe.js";
export {
  countWords,
  type LearnedMicroVocabulary,
  learnMicroVocabulary,
  MICRO_CONTROL_TOKENS,
  MICRO_USER_DEFINED_TOKENS,
  type MicroVocabularyOptions,
} from "./learn.js";
export { markedPairs } from "./marked-pairs.js";
export { numberPieces } from "./number-pieces.js";
export { isNumberSegment, SPACE_MARK, segments } from "./segments.js";
export { loadVocabulary, MICRO_VOCABULARY_FILE, saveVocabulary } from "./vocabulary-file.js";
