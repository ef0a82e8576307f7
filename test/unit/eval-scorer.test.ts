import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type EvalTool,
  type ExpectedCall,
  formatCall,
  formatExpected,
  scoreCalls,
  standardizeString,
  validateCallSchema,
} from "../../src/eval/index.js";

const tool = (
  name: string,
  properties: Record<string, unknown>,
  required: string[] = [],
): EvalTool => ({
  type: "function",
  function: { name, description: "", parameters: { type: "object", properties, required } },
});

const TOOLS = [
  tool(
    "get_weather",
    {
      city: { type: "string" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
      days: { type: "integer" },
    },
    ["city"],
  ),
  tool("measure", { value: { type: "number" }, exact: { type: "boolean" }, label: {} }, ["value"]),
  tool("tag", { items: { type: "array", items: { type: "string" } } }, ["items"]),
  tool("query", {
    where: {
      type: "object",
      properties: { column: { type: "string" }, value: { type: ["string", "number"] } },
    },
    rows: { type: "array", items: { type: "object" } },
  }),
  tool("math_factorial", { number: { type: "integer" } }, ["number"]),
];

const expect = (calls: ExpectedCall[] | ExpectedCall[][] | "none" | "any") => ({
  tools: TOOLS,
  expected:
    calls === "none" || calls === "any"
      ? calls
      : Array.isArray(calls[0])
        ? (calls as ExpectedCall[][])
        : [calls as ExpectedCall[]],
});
const weather = (args: Record<string, unknown[]>): ExpectedCall => ({
  name: "get_weather",
  arguments: args,
});
const got = (name: string, args: Record<string, unknown>) => ({ name, args });

function passes(expected: ReturnType<typeof expect>, calls: ReturnType<typeof got>[]) {
  const score = scoreCalls(expected, calls);
  assert.equal(score.passed, true, score.reason);
}
function fails(
  expected: ReturnType<typeof expect>,
  calls: ReturnType<typeof got>[],
  reason: RegExp,
) {
  const score = scoreCalls(expected, calls);
  assert.equal(score.passed, false, "expected a failure");
  assert.match(score.reason ?? "", reason);
}

describe("eval scorer: BFCL AST rules", () => {
  const paris = expect([weather({ city: ["Paris", "Paris, France"], unit: ["celsius", ""] })]);

  it("accepts the right function with acceptable values, and an omitted optional argument", () => {
    passes(paris, [got("get_weather", { city: "Paris", unit: "celsius" })]);
    passes(paris, [got("get_weather", { city: "Paris, France" })]);
  });

  it("rejects the wrong function", () => {
    fails(
      paris,
      [got("measure", { value: 1 })],
      /wrong function: expected get_weather, got measure/,
    );
  });

  it("rejects a missing required argument, even if the expected answer allows omitting it", () => {
    fails(
      expect([weather({ city: ["Paris", ""] })]),
      [got("get_weather", {})],
      /missing required argument "city"/,
    );
  });

  it("rejects arguments outside the schema and outside the expected answer", () => {
    fails(
      paris,
      [got("get_weather", { city: "Paris", country: "FR" })],
      /unexpected argument "country"/,
    );
    // `days` is in the schema but the answer does not list it: BFCL counts it as unexpected.
    fails(paris, [got("get_weather", { city: "Paris", days: 3 })], /unexpected argument "days"/);
  });

  it("rejects a value that is not among the acceptable ones, naming it", () => {
    fails(
      paris,
      [got("get_weather", { city: "Lyon" })],
      /"Lyon" is not among the acceptable values "Paris", "Paris, France"/,
    );
    fails(paris, [got("get_weather", { city: "Paris", unit: "fahrenheit" })], /argument "unit"/);
  });

  it('requires an expected argument without a "" entry', () => {
    fails(
      expect([weather({ city: ["Paris"], unit: ["celsius"] })]),
      [got("get_weather", { city: "Paris" })],
      /missing argument "unit"/,
    );
  });

  it("compares strings like BFCL: case, spaces and ,./-_*^ do not matter, other letters do", () => {
    assert.equal(standardizeString("San Francisco, CA"), "sanfranciscoca");
    assert.equal(standardizeString("it's"), 'it"s');
    const sf = expect([weather({ city: ["San Francisco, CA"] })]);
    passes(sf, [got("get_weather", { city: "san francisco ca" })]);
    passes(sf, [got("get_weather", { city: "SAN-FRANCISCO/CA." })]);
    fails(sf, [got("get_weather", { city: "San Fransisco, CA" })], /not among/);
  });

  it("is type-aware: whole numbers are fine for number parameters, not the reverse", () => {
    const measure = expect([{ name: "measure", arguments: { value: [6.0] } }]);
    passes(measure, [got("measure", { value: 6 })]);
    fails(measure, [got("measure", { value: "6" })], /expected number, got string "6"/);
    const days = expect([weather({ city: ["Oslo"], days: [3] })]);
    passes(days, [got("get_weather", { city: "Oslo", days: 3 })]);
    fails(
      days,
      [got("get_weather", { city: "Oslo", days: 3.5 })],
      /expected integer, got number 3\.5/,
    );
    fails(days, [got("get_weather", { city: "Oslo", days: "3" })], /expected integer, got string/);
  });

  it("does not take strings for booleans", () => {
    const exact = expect([{ name: "measure", arguments: { value: [1], exact: [true] } }]);
    passes(exact, [got("measure", { value: 1, exact: true })]);
    fails(exact, [got("measure", { value: 1, exact: "true" })], /expected boolean, got string/);
  });

  it("accepts any listed type of a multi-type property", () => {
    const q = expect([
      { name: "query", arguments: { where: [{ column: ["id"], value: [7, "7"] }] } },
    ]);
    passes(q, [got("query", { where: { column: "id", value: 7 } })]);
    passes(q, [got("query", { where: { column: "id", value: "7" } })]);
  });

  it("compares untyped (BFCL any) values by equality, strings standardised", () => {
    const labelled = expect([
      { name: "measure", arguments: { value: [1], label: ["Front Door", 3] } },
    ]);
    passes(labelled, [got("measure", { value: 1, label: "front door" })]);
    passes(labelled, [got("measure", { value: 1, label: 3 })]);
    fails(labelled, [got("measure", { value: 1, label: 4 })], /not among/);
  });

  it("compares lists in order, items standardised; alternative orders must be listed", () => {
    const tags = expect([
      {
        name: "tag",
        arguments: {
          items: [
            ["Red", "Blue"],
            ["Blue", "Red"],
          ],
        },
      },
    ]);
    passes(tags, [got("tag", { items: ["blue", "RED"] })]);
    fails(
      expect([{ name: "tag", arguments: { items: [["a", "b"]] } }]),
      [got("tag", { items: ["b", "a"] })],
      /not among/,
    );
    fails(tags, [got("tag", { items: ["Red", 5] })], /items must be string, got integer 5/);
  });

  it('checks objects key by key, with "" allowing a key to be left out', () => {
    const q = expect([
      { name: "query", arguments: { where: [{ column: ["Country"], value: ["France", ""] }] } },
    ]);
    passes(q, [got("query", { where: { column: "country", value: "france" } })]);
    passes(q, [got("query", { where: { column: "country" } })]);
    fails(
      q,
      [got("query", { where: { column: "city", value: "France" } })],
      /key "column" is "city"/,
    );
    fails(q, [got("query", { where: { column: "country", op: "=" } })], /unexpected key "op"/);
    fails(q, [got("query", { where: { value: "France" } })], /key "column" is missing/);
  });

  it("checks lists of objects in order", () => {
    const q = expect([{ name: "query", arguments: { rows: [[{ id: [1] }, { id: [2] }]] } }]);
    passes(q, [got("query", { rows: [{ id: 1 }, { id: 2 }] })]);
    fails(q, [got("query", { rows: [{ id: 2 }, { id: 1 }] })], /key "id" is 2/);
    fails(q, [got("query", { rows: [{ id: 1 }] })], /has 1 objects, expected 2/);
  });

  it("reads dots in function names as underscores (BFCL's OpenAI-style names)", () => {
    const factorial = expect([{ name: "math_factorial", arguments: { number: [5] } }]);
    passes(factorial, [got("math.factorial", { number: 5 })]);
    passes(factorial, [got("math_factorial", { number: 5 })]);
  });

  it("matches parallel calls in any order, finding a full matching where a greedy pass would not", () => {
    const two = expect([weather({ city: ["Paris", "Lyon"] }), weather({ city: ["Paris"] })]);
    // Greedy (BFCL) would give the first "Paris" to the first expected call and then fail.
    passes(two, [got("get_weather", { city: "Paris" }), got("get_weather", { city: "Lyon" })]);
    passes(two, [got("get_weather", { city: "Lyon" }), got("get_weather", { city: "Paris" })]);
    fails(
      two,
      [got("get_weather", { city: "Lyon" }), got("get_weather", { city: "Lyon" })],
      /no order of the 2 calls matches: expected call #2 \(get_weather\) has no match/,
    );
  });

  it("requires the exact number of calls", () => {
    fails(
      paris,
      [got("get_weather", { city: "Paris" }), got("get_weather", { city: "Paris" })],
      /expected 1 call, got 2/,
    );
    fails(
      expect([weather({ city: ["A"] }), weather({ city: ["B"] })]),
      [got("get_weather", { city: "A" })],
      /expected 2 calls, got 1/,
    );
    fails(paris, [], /no tool call; expected 1 call/);
  });

  it("scores irrelevance as a no-call", () => {
    passes(expect("none"), []);
    fails(
      expect("none"),
      [got("get_weather", { city: "Paris" })],
      /no call was expected, got get_weather/,
    );
  });

  it("scores relevance as any call to an offered tool", () => {
    passes(expect("any"), [got("tag", { items: [] })]);
    fails(expect("any"), [], /a call to one of the tools was expected/);
    fails(expect("any"), [got("launch_rocket", {})], /unknown tool launch_rocket/);
  });

  it("passes when any of several acceptable call sets matches, explaining with the set that fits", () => {
    const either = expect([
      [weather({ city: ["Paris"] })],
      [{ name: "measure", arguments: { value: [1] } }],
    ]);
    passes(either, [got("measure", { value: 1 })]);
    fails(either, [got("measure", { value: 2 })], /measure: argument "value": 2 is not among/);
  });

  it("validates emitted arguments against the tool's JSON Schema", () => {
    assert.equal(
      validateCallSchema(got("get_weather", { city: "Paris", unit: "celsius" }), TOOLS).valid,
      true,
    );
    assert.equal(validateCallSchema(got("math.factorial", { number: 5 }), TOOLS).valid, true);
    const badEnum = validateCallSchema(
      got("get_weather", { city: "Paris", unit: "kelvin" }),
      TOOLS,
    );
    assert.equal(badEnum.valid, false);
    assert.match(badEnum.errors.join(" "), /unit/);
    assert.equal(validateCallSchema(got("get_weather", { unit: "celsius" }), TOOLS).valid, false);
    assert.equal(validateCallSchema(got("get_weather", { city: 3 }), TOOLS).valid, false);
    assert.deepEqual(validateCallSchema(got("nope", {}), TOOLS).errors, ['unknown tool "nope"']);
  });

  it("formats calls and expected answers for reports", () => {
    assert.equal(
      formatCall(got("get_weather", { city: "Paris", days: 2 })),
      'get_weather(city="Paris", days=2)',
    );
    assert.equal(
      formatExpected(paris.expected),
      'get_weather(city="Paris"|"Paris, France", unit="celsius"|omitted)',
    );
    assert.equal(formatExpected("none"), "no call");
  });
});
