/** SentencePiece's word-boundary marker: a space is written as "▁" inside pieces. */
export const SPACE_MARK = "\u2581";

const LETTER = 1;
const DIGIT = 2;
const PUNCT = 3;
const SPACE = 4;
const NEWLINE = 5;
const BLANK = 6;

// ASCII classes by table: this runs once per character of tens of megabytes.
const ASCII = new Uint8Array(128).fill(PUNCT);
for (let code = 0x41; code <= 0x5a; code++) ASCII[code] = LETTER;
for (let code = 0x61; code <= 0x7a; code++) ASCII[code] = LETTER;
for (let code = 0x30; code <= 0x39; code++) ASCII[code] = DIGIT;
ASCII[0x20] = SPACE;
ASCII[0x0a] = NEWLINE;
ASCII[0x09] = BLANK;
ASCII[0x0d] = BLANK;

const LETTER_PATTERN = /^[\p{L}\p{M}]$/u;

/** The class of the code point at `index` and its length in UTF-16 units. */
function classAt(text: string, index: number): [number, number] {
  const code = text.charCodeAt(index);
  if (code < 128) return [ASCII[code], 1];
  const point = text.codePointAt(index) as number;
  const width = point > 0xffff ? 2 : 1;
  return [LETTER_PATTERN.test(String.fromCodePoint(point)) ? LETTER : PUNCT, width];
}

/**
 * Cuts text into the units BPE may merge within, SentencePiece style: a run of letters, of
 * ASCII digits or of punctuation, each with at most one leading "▁" (the space before it);
 * runs of newlines, of other spaces (indentation, double spaces) and of tabs stand alone. So no
 * learned piece crosses from letters into digits or punctuation, and llama.cpp's SPM
 * tokenizer, which merges any adjacent pair whose concatenation is a piece, cannot either.
 */
export function* segments(text: string): Generator<string> {
  let index = 0;
  const length = text.length;
  const runEnd = (start: number, kind: number): number => {
    let end = start;
    while (end < length) {
      const [next, width] = classAt(text, end);
      if (next !== kind) break;
      end += width;
    }
    return end;
  };
  while (index < length) {
    const [kind] = classAt(text, index);
    if (kind === SPACE) {
      const end = runEnd(index, SPACE);
      const next = end < length ? classAt(text, end)[0] : undefined;
      const attaches = next === LETTER || next === DIGIT || next === PUNCT;
      const alone = attaches ? end - index - 1 : end - index;
      if (alone > 0) yield SPACE_MARK.repeat(alone);
      if (attaches) {
        const wordEnd = runEnd(end, next);
        yield SPACE_MARK + text.slice(end, wordEnd);
        index = wordEnd;
      } else {
        index = end;
      }
      continue;
    }
    const end = runEnd(index, kind);
    yield text.slice(index, end);
    index = end;
  }
}

/** Whether a segment is a number (digits with an optional leading "▁"): number pieces cover those. */
export function isNumberSegment(segment: string): boolean {
  return /^\u2581?[0-9]+$/.test(segment);
}
