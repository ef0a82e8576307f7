import type { ChatFamily } from "./families.js";

/** llama.cpp's `llama_token_type`. */
export enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Byte = 6,
}

export interface Vocabulary {
  tokens: string[];
  scores: number[];
  types: TokenType[];
  bosId: number;
  eosId: number;
  eotId?: number;
  unknownId: number;
}

const SPACE = "\u2581"; // SentencePiece's word-boundary marker.

// Pieces a chat with JSON tool calls needs, so tokenizing common text is not all byte tokens.
const SEED_PIECES = [
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  ...`{}[]():;,."'-_/\\+*=<>!?@#$%&|~^\``,
  `${SPACE}`,
  "\n",
  '":',
  '","',
  '{"',
  '"}',
  "},",
  "]}",
  "name",
  "arguments",
  "true",
  "false",
  "null",
  ...[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "you",
    "that",
    "it",
    "for",
    "on",
    "with",
    "as",
    "what",
    "how",
    "time",
    "search",
    "query",
    "result",
    "answer",
    "tool",
    "call",
    "user",
    "assistant",
    "system",
    "weather",
    "city",
    "document",
    "calculator",
    "expression",
  ].map((word) => `${SPACE}${word}`),
];

/** Distinct filler pieces (`▁ab`, `abc`, …) so a vocabulary of any size has unique strings. */
function* fillerPieces(): Generator<string> {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (let length = 2; ; length++) {
    const indices = new Array<number>(length).fill(0);
    while (true) {
      const word = indices.map((index) => letters[index]).join("");
      yield `${SPACE}${word}`;
      yield word;
      let position = length - 1;
      while (position >= 0 && ++indices[position] === letters.length) {
        indices[position] = 0;
        position--;
      }
      if (position < 0) break;
    }
  }
}

export function minimumVocabularySize(family: ChatFamily): number {
  return 3 + 256 + family.controlTokens.length + family.userDefinedTokens.length;
}

/**
 * An SPM (`llama`) vocabulary: <unk>, <s>, </s>, the 256 byte-fallback tokens, ordinary
 * pieces, then the family's special tokens at the end (as Qwen and Llama 3 place theirs).
 */
export function buildVocabulary(family: ChatFamily, size: number): Vocabulary {
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const types: TokenType[] = [TokenType.Unknown, TokenType.Control, TokenType.Control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TokenType.Byte);
  }
  const specials = [
    ...family.controlTokens
      .filter((token) => !tokens.includes(token))
      .map((token) => [token, TokenType.Control] as const),
    ...family.userDefinedTokens.map((token) => [token, TokenType.UserDefined] as const),
  ];
  const ordinaryCount = size - tokens.length - specials.length;
  const seen = new Set(tokens);
  const addOrdinary = (piece: string) => {
    if (seen.has(piece) || tokens.length >= size - specials.length) return;
    seen.add(piece);
    tokens.push(piece);
    types.push(TokenType.Normal);
  };
  for (const piece of SEED_PIECES) addOrdinary(piece);
  if (ordinaryCount > 0) {
    const filler = fillerPieces();
    while (tokens.length < size - specials.length) addOrdinary(filler.next().value as string);
  }
  for (const [token, type] of specials) {
    tokens.push(token);
    types.push(type);
  }
  // SPM merges prefer higher scores: longer pieces score higher so text tokenizes into few tokens.
  const scores = tokens.map((token, index) =>
    types[index] === TokenType.Normal ? token.length * 10 - index / size : 0,
  );
  const idOf = (token: string) => {
    const id = tokens.indexOf(token);
    if (id < 0) throw new Error(`Token ${token} missing from the generated vocabulary`);
    return id;
  };
  return {
    tokens,
    scores,
    types,
    bosId: idOf(family.bosToken),
    eosId: idOf(family.eosToken),
    eotId: family.eotToken ? idOf(family.eotToken) : undefined,
    unknownId: 0,
  };
}
