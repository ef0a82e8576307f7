/**
 * Rule fixes for the GBNF text node-llama-cpp 3.22 generates from a JSON schema, for values
 * its grammar admits but its own validator (and the tool's schema) then reject:
 *
 * - numbers: 16 digits and a 16-digit exponent, so an "integer" can be 1e+77 or beyond 2^53 and
 *   a number can overflow to Infinity. Integers get at most 15 digits and no exponent; numbers
 *   an exponent of at most two digits.
 * - string characters: `[^"\\\x7F\x00-\x1F]` also admits surrogates and code points above
 *   U+10FFFF, which a random model's byte tokens do produce and JavaScript decodes as U+FFFD.
 *   Length-bounded strings count code points in the grammar but UTF-16 units in JavaScript, so
 *   there the class stops at U+FFFF (`\uXXXX` escapes still reach every character).
 */
const ESCAPES = String.raw`"\\" ["\\/bfnrt] | "\\u" [0-9a-fA-F]{4}`;

const RULES: Record<string, string> = {
  "integer-number-rule": `"-"? ("0" | [1-9] [0-9]{0,14})`,
  "fractional-number-rule": `"-"? ("0" | [1-9] [0-9]{0,14}) ("." [0-9]{1,15})? ([eE] [-+]? [0-9]{1,2})?`,
  "string-char-rule": String.raw`[\x20-\x21\x23-\x5B\x5D-\x7E\u0080-\uD7FF\uE000-\U0010FFFF] | ${ESCAPES}`,
};

const BMP_CHAR_RULE = "bmp-string-char-rule";
const BMP_CHAR_BODY = String.raw`[\x20-\x21\x23-\x5B\x5D-\x7E\u0080-\uD7FF\uE000-\uFFFF] | ${ESCAPES}`;

export function tightenJsonGrammar(gbnf: string): string {
  let text = gbnf;
  for (const [rule, body] of Object.entries(RULES)) {
    const definition = new RegExp(`^${rule} ::= .*$`, "m");
    if (!text.includes(rule)) continue;
    if (!definition.test(text)) {
      throw new Error(
        `node-llama-cpp's JSON grammar no longer defines "${rule}" on one line; update tightenJsonGrammar.`,
      );
    }
    text = text.replace(definition, () => `${rule} ::= ${body}`);
  }
  let bounded = false;
  text = text.replace(
    /^(string-\d+(?:-\d+)?-rule ::= )(.*)$/gm,
    (_line, head: string, body: string) => {
      bounded = true;
      return head + body.replaceAll("string-char-rule", BMP_CHAR_RULE);
    },
  );
  if (bounded) text = `${text.replace(/\n*$/, "")}\n${BMP_CHAR_RULE} ::= ${BMP_CHAR_BODY}\n`;
  return text;
}
