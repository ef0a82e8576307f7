import { TokenType, type Vocabulary } from "../../testing/gguf-writer/index.js";
import { learnBpe } from "./bpe.js";
import { numberPieces } from "./number-pieces.js";
import { isNumberSegment, SPACE_MARK, segments } from "./segments.js";

/** Qwen2.5's special tokens, as its tokenizer lists them: control first, then user-defined. */
export const MICRO_CONTROL_TOKENS = ["<|im_start|>", "<|im_end|>", "<|endoftext|>"];
export const MICRO_USER_DEFINED_TOKENS = [
  "<tool_call>",
  "</tool_call>",
  "<tool_response>",
  "</tool_response>",
  "<think>",
  "</think>",
];

export interface MicroVocabularyOptions {
  /** Pieces to learn by BPE (beyond the characters, bytes, number pieces and special tokens). */
  pieces: number;
  /** Pairs seen fewer times are not learned (default 2); fewer pieces come back then. */
  minCount?: number;
  /** Longest learned piece in characters (default 16). */
  maxPieceLength?: number;
}

export interface LearnedMicroVocabulary extends Vocabulary {
  /** How many pieces BPE learned (at most `pieces`). */
  learnedPieces: number;
}

// Always pieces, whatever the corpus holds: printable ASCII (digits come as number pieces),
// the space mark and the newline, so ordinary text never falls back to byte tokens.
const BASE_CHARACTERS = [
  SPACE_MARK,
  "\n",
  ...Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)).filter(
    (char) => char !== " " && !(char >= "0" && char <= "9"),
  ),
];

const SPECIAL_PATTERN = new RegExp(
  [...MICRO_CONTROL_TOKENS, ...MICRO_USER_DEFINED_TOKENS]
    .map((token) => token.replace(/[|/\\^$.*+?()[\]{}]/g, "\\$&"))
    .join("|"),
  "g",
);

/** Distinct words (segments) of the corpus and their counts; special tokens are not text. */
export function countWords(corpus: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of corpus) {
    for (const part of text.split(SPECIAL_PATTERN)) {
      for (const segment of segments(part)) {
        if (isNumberSegment(segment)) continue;
        counts.set(segment, (counts.get(segment) ?? 0) + 1);
      }
    }
  }
  return counts;
}

function byteToken(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`;
}

/**
 * Learns Hearth Micro's SPM vocabulary from a corpus: <unk>, <s>, </s>, 256 byte-fallback
 * tokens, the corpus's characters, BPE pieces learned within words, digit runs, punctuation runs
 * and newline runs (score -rank, so llama.cpp's SPM tokenizer, merging the best-scoring pair
 * first, replays the merges), number pieces ("0".."999" with and without "▁"), then Qwen2.5's
 * special tokens. Deterministic: the same corpus gives the same vocabulary.
 */
export function learnMicroVocabulary(
  corpus: Iterable<string>,
  options: MicroVocabularyOptions,
): LearnedMicroVocabulary {
  if (!Number.isInteger(options.pieces) || options.pieces < 0) {
    throw new Error(`pieces must be a non-negative integer (got ${options.pieces}).`);
  }
  const words = countWords(corpus);
  const { alphabet, merges } = learnBpe(words, {
    merges: options.pieces,
    minCount: options.minCount,
    maxPieceLength: options.maxPieceLength,
  });

  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const types: TokenType[] = [TokenType.Unknown, TokenType.Control, TokenType.Control];
  const scores: number[] = [0, 0, 0];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(byteToken(byte));
    types.push(TokenType.Byte);
    scores.push(0);
  }
  const characters = [...BASE_CHARACTERS];
  const base = new Set(characters);
  for (const char of alphabet) if (!base.has(char)) characters.push(char);
  // A character's score never decides a merge (only pieces of two symbols are merged into).
  for (const [index, char] of characters.entries()) {
    tokens.push(char);
    types.push(TokenType.Normal);
    scores.push(0 - (merges.length + index));
  }
  for (const [rank, merge] of merges.entries()) {
    tokens.push(merge.piece);
    types.push(TokenType.Normal);
    scores.push(0 - rank); // not -rank: -0 would not survive JSON
  }
  for (const { piece, score } of numberPieces()) {
    tokens.push(piece);
    types.push(TokenType.Normal);
    scores.push(score);
  }
  for (const token of MICRO_CONTROL_TOKENS) {
    tokens.push(token);
    types.push(TokenType.Control);
    scores.push(0);
  }
  for (const token of MICRO_USER_DEFINED_TOKENS) {
    tokens.push(token);
    types.push(TokenType.UserDefined);
    scores.push(0);
  }
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token)) throw new Error(`Vocabulary piece "${token}" occurs twice.`);
    seen.add(token);
  }
  return {
    tokens,
    scores,
    types,
    bosId: tokens.indexOf("<|endoftext|>"),
    eosId: tokens.indexOf("<|im_end|>"),
    eotId: tokens.indexOf("<|endoftext|>"),
    unknownId: 0,
    learnedPieces: merges.length,
  };
}
