import { SPACE_MARK } from "./segments.js";

/**
 * Every string of one to three ASCII digits ("0".."9", "00".."99", "000".."999"), each alone
 * and after "▁", so a number up to 999 (or a zero-padded time part) is one token and a model
 * copies it by copying one token. Scores rank them above every learned piece (which score
 * -rank ≤ 0), longer above shorter and "▁"-led above bare: llama.cpp's SPM tokenizer merges the
 * best-scoring adjacent pair whose concatenation is a piece, leftmost first on ties, so a digit
 * run always becomes one piece per three digits counted from the left ("1234" → "123" "4",
 * " 12345" → "▁123" "45"), and a space before a number joins its first group.
 */
export function numberPieces(): Array<{ piece: string; score: number }> {
  const pieces: Array<{ piece: string; score: number }> = [];
  for (let digits = 1; digits <= 3; digits++) {
    const count = 10 ** digits;
    for (let value = 0; value < count; value++) {
      const text = String(value).padStart(digits, "0");
      pieces.push({ piece: text, score: digits * 2 - 1 });
      pieces.push({ piece: SPACE_MARK + text, score: digits * 2 });
    }
  }
  return pieces;
}
