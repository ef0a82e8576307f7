import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  countWords,
  learnBpe,
  learnMicroVocabulary,
  MICRO_CONTROL_TOKENS,
  MICRO_USER_DEFINED_TOKENS,
  markedPairs,
  segments,
} from "../../src/micro/vocabulary/index.js";
import { TokenType } from "../../src/testing/gguf-writer/index.js";

const CORPUS = [
  '<|im_start|>user\nWhat is 48 * 12?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n{"name": "calculator", "arguments": {"expression": "48 * 12"}}\n</tool_call><|im_end|>',
  "The time in Tokyo is 09:05.  The time in Paris is 14:30.\n\n    indented line\tand a tab",
  '{"route": "tools", "reason": "the user asks for arithmetic"}',
];

describe("micro vocabulary: pre-splitting", () => {
  it("keeps words, digit runs, punctuation runs, newlines and extra spaces apart; a space leads the next run", () => {
    assert.deepEqual(
      [...segments('What is 48*12?\n\n  {"a": 1}  \tx')],
      [
        "What",
        "▁is",
        "▁48",
        "*",
        "12",
        "?",
        "\n\n",
        "▁",
        '▁{"',
        "a",
        '":',
        "▁1",
        "}",
        "▁▁",
        "\t",
        "x",
      ],
    );
    assert.deepEqual([...segments("Zürich 😀!")], ["Zürich", "▁😀!"]);
  });

  it("drops special tokens and numbers from the word table", () => {
    const words = countWords(["<|im_start|>user\nHi 42 times<|im_end|>"]);
    assert.deepEqual([...words.keys()].sort(), ["\n", "Hi", "user", "▁times"].sort());
  });
});

describe("micro vocabulary: BPE", () => {
  it("merges the most frequent pair first, ties by the smaller piece, and stops below minCount", () => {
    const { merges } = learnBpe(
      new Map([
        ["▁ab", 5],
        ["▁abc", 3],
        ["▁bc", 1],
      ]),
      { merges: 10 },
    );
    assert.deepEqual(
      merges.map((merge) => [merge.left, merge.right, merge.count]),
      [
        ["a", "b", 8],
        ["▁", "ab", 8],
        ["▁ab", "c", 3],
      ],
    );
  });

  it("learns merges in non-increasing frequency, the same ones whatever the corpus order", () => {
    const texts = Array.from({ length: 30 }, (_, index) => CORPUS[index % CORPUS.length]);
    const first = learnMicroVocabulary(texts, { pieces: 80 });
    const second = learnMicroVocabulary([...texts].reverse(), { pieces: 80 });
    assert.deepEqual(first.tokens, second.tokens);
    assert.deepEqual(first.scores, second.scores);
    const { merges } = learnBpe(countWords(texts), { merges: 80 });
    assert.ok(merges.length > 40, String(merges.length));
    for (let index = 1; index < merges.length; index++)
      assert.ok(merges[index].count <= merges[index - 1].count, JSON.stringify(merges[index]));
  });

  it("never learns a piece that crosses from letters into digits or punctuation", () => {
    const texts = Array.from({ length: 30 }, (_, index) => CORPUS[index % CORPUS.length]);
    const { merges } = learnBpe(countWords(texts), { merges: 500, minCount: 1 });
    assert.ok(merges.some((merge) => merge.piece === '":'));
    assert.ok(
      merges.some((merge) => merge.piece === "▁calculator" || merge.piece === "calculator"),
    );
    const oneClass = /^▁?(?:[\p{L}\p{M}]+|[^\p{L}\p{M}0-9▁\n\t ]+)$|^▁+$|^\n+$|^\t+$/u;
    for (const { piece } of merges) assert.match(piece, oneClass);
    for (const { piece } of merges) assert.doesNotMatch(piece, /[0-9]/);
  });
});

describe("micro vocabulary: layout", () => {
  const vocabulary = learnMicroVocabulary(CORPUS, { pieces: 50, minCount: 1 });
  const { tokens, scores, types } = vocabulary;

  it("starts with <unk> <s> </s> and 256 byte tokens, ends with Qwen2.5's special tokens", () => {
    assert.deepEqual(tokens.slice(0, 4), ["<unk>", "<s>", "</s>", "<0x00>"]);
    assert.equal(tokens[258], "<0xFF>");
    assert.deepEqual(tokens.slice(-9), [...MICRO_CONTROL_TOKENS, ...MICRO_USER_DEFINED_TOKENS]);
    assert.deepEqual(types.slice(-9), [
      ...MICRO_CONTROL_TOKENS.map(() => TokenType.Control),
      ...MICRO_USER_DEFINED_TOKENS.map(() => TokenType.UserDefined),
    ]);
    assert.equal(tokens[vocabulary.eosId], "<|im_end|>");
    assert.equal(new Set(tokens).size, tokens.length);
  });

  it("holds every 1-3 digit string with and without ▁, scored above learned pieces, longer and ▁-led higher", () => {
    const score = (piece: string) => scores[tokens.indexOf(piece)];
    for (let value = 0; value < 1000; value++) {
      for (const text of [String(value), String(value).padStart(3, "0")]) {
        assert.ok(tokens.includes(text), text);
        assert.ok(tokens.includes(`▁${text}`), `▁${text}`);
      }
    }
    assert.equal(tokens.filter((token) => /^▁?[0-9]+$/.test(token)).length, 2220);
    const learnedBest = Math.max(
      ...scores.filter(
        (_, index) => types[index] === TokenType.Normal && !/[0-9]/.test(tokens[index]),
      ),
    );
    assert.ok(score("12") > learnedBest);
    assert.ok(score("▁123") > score("123") && score("123") > score("▁12"));
    assert.ok(score("▁12") > score("12") && score("12") > score("▁1"));
  });

  it("scores learned pieces -rank, in the order they were merged", () => {
    const { merges } = learnBpe(countWords(CORPUS), { merges: 50, minCount: 1 });
    assert.equal(vocabulary.learnedPieces, merges.length);
    for (const [rank, merge] of merges.entries()) {
      const id = tokens.indexOf(merge.piece);
      assert.equal(scores[id], 0 - rank, merge.piece);
    }
  });
});

describe("micro vocabulary: marked pairs", () => {
  // "Tokyo" and "time" occur with and without a space before them.
  const vocabulary = learnMicroVocabulary(
    [...CORPUS, 'x{"time": 1, "Tokyo": 2} in Tokyo at that time'],
    { pieces: 200, minCount: 1 },
  );
  const pairs = markedPairs(vocabulary);
  const text = (id: number) => vocabulary.tokens[id];

  it("pairs every number with its ▁-led twin, and learned words that exist both ways", () => {
    const byPlain = new Map(pairs.map(([marked, plain]) => [text(plain), text(marked)]));
    for (const number of ["0", "7", "17", "391", "999", "05"]) {
      assert.equal(byPlain.get(number), `▁${number}`, number);
    }
    assert.equal(byPlain.get("Tokyo"), "▁Tokyo");
    assert.equal(byPlain.get("time"), "▁time");
    for (const [marked, plain] of pairs) {
      assert.equal(text(marked), `▁${text(plain)}`);
      assert.equal(vocabulary.types[marked], TokenType.Normal);
      assert.equal(vocabulary.types[plain], TokenType.Normal);
    }
  });

  it("leaves control, user-defined and byte tokens and lone pieces out, and uses each id once", () => {
    const ids = pairs.flat();
    assert.equal(new Set(ids).size, ids.length);
    for (const special of [...MICRO_CONTROL_TOKENS, ...MICRO_USER_DEFINED_TOKENS]) {
      assert.ok(!ids.includes(vocabulary.tokens.indexOf(special)), special);
    }
    assert.ok(!ids.includes(vocabulary.tokens.indexOf("▁")), "the bare mark has no twin");
    // 1,000 numbers and the zero-padded time parts, plus the few words.
    assert.ok(
      pairs.length > 1000 && pairs.length < vocabulary.tokens.length / 2,
      `${pairs.length}`,
    );
  });
});
