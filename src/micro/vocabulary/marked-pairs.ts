import { TokenType, type Vocabulary } from "../../testing/gguf-writer/vocabulary.js";
import { SPACE_MARK } from "./segments.js";

/**
 * The (marked id, plain id) pairs of pieces that exist both with and without the word-boundary
 * mark: "▁17" and "17", "▁Tokyo" and "Tokyo". The trainer ties each pair to one row (see
 * training/micro/model.py, PieceTies) so copying a number from the question into a call, where
 * it loses its mark, is the same copy for every number. Normal pieces only: control and byte
 * tokens keep their own rows.
 */
export function markedPairs(vocabulary: Vocabulary): Array<[number, number]> {
  const normal = (id: number) => vocabulary.types[id] === TokenType.Normal;
  const plainIds = new Map<string, number>();
  vocabulary.tokens.forEach((token, id) => {
    if (normal(id) && !token.startsWith(SPACE_MARK)) plainIds.set(token, id);
  });
  const pairs: Array<[number, number]> = [];
  vocabulary.tokens.forEach((token, id) => {
    if (!normal(id) || !token.startsWith(SPACE_MARK) || token.length < 2) return;
    const plain = plainIds.get(token.slice(SPACE_MARK.length));
    if (plain !== undefined) pairs.push([id, plain]);
  });
  return pairs;
}
