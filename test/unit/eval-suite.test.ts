import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BUILTIN_EVAL_TOOLS,
  builtinSuite,
  EVAL_CATEGORIES,
  parseSuiteJsonl,
  scoreCalls,
  selectCases,
  suiteToJsonl,
  validateCallSchema,
} from "../../src/eval/index.js";
import { perfectCalls } from "../helpers/eval-oracle.js";

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    id: "c1",
    category: "simple",
    messages: [{ role: "user", content: "Weather in Paris?" }],
    tools: [weatherTool],
    expected: [[{ name: "get_weather", arguments: { city: ["Paris"] } }]],
    ...fields,
  });

describe("suite format (JSON Lines)", () => {
  it("reads cases, skipping blank lines, with shorthands for question and expected", () => {
    const text = [
      line({}),
      "",
      line({
        id: "c2",
        messages: undefined,
        question: "Weather in Rome?",
        expected: { name: "get_weather", arguments: { city: ["Rome"] } },
      }),
      line({ id: "c3", category: "irrelevance", expected: "none" }),
    ].join("\n");
    const suite = parseSuiteJsonl(text, "mine.jsonl");
    assert.equal(suite.name, "mine");
    assert.deepEqual(
      suite.cases.map((c) => c.id),
      ["c1", "c2", "c3"],
    );
    assert.deepEqual(suite.cases[1].messages, [{ role: "user", content: "Weather in Rome?" }]);
    assert.deepEqual(suite.cases[1].expected, [
      [{ name: "get_weather", arguments: { city: ["Rome"] } }],
    ]);
    assert.equal(suite.cases[2].expected, "none");
  });

  it("accepts bare function definitions and wraps them in the OpenAI format", () => {
    const suite = parseSuiteJsonl(line({ tools: [weatherTool.function] }));
    assert.deepEqual(suite.cases[0].tools[0], weatherTool);
  });

  it("names the line and the field of every mistake", () => {
    const failsWith = (text: string, message: RegExp) =>
      assert.throws(() => parseSuiteJsonl(text, "s.jsonl"), message);
    failsWith(`${line({})}\n{"id": `, /s\.jsonl:2: not valid JSON/);
    failsWith(
      line({ category: "trivia" }),
      /s\.jsonl:1: field "category": must be one of simple, multiple/,
    );
    failsWith(line({ id: "" }), /field "id": must be a non-empty string/);
    failsWith(line({ messages: [] }), /field "messages": must be a non-empty array/);
    failsWith(line({ messages: [{ role: "robot", content: "x" }] }), /field "messages\[0\]\.role"/);
    failsWith(
      line({ tools: [{ name: "bad name!" }] }),
      /field "tools\[0\]\.name": "bad name!" is not a valid tool name/,
    );
    failsWith(
      line({ expected: [[{ name: "get_weather", arguments: { city: "Paris" } }]] }),
      /field "expected\[0\]\[0\]\.arguments\.city": must be a non-empty array of acceptable values \(write \["Paris"\]/,
    );
    failsWith(
      line({ expected: [[{ name: "get_time", arguments: {} }]] }),
      /"get_time" is not one of the case's tools \(get_weather\)/,
    );
    failsWith(
      line({ category: "irrelevance" }),
      /field "expected": must be "none" in the irrelevance category/,
    );
    failsWith(line({ expected: undefined }), /field "expected": is missing/);
    failsWith(line({ graph: { route: "maybe" } }), /field "graph\.route"/);
    failsWith(
      `${line({})}\n${line({})}`,
      /s\.jsonl:2: field "id": "c1" was already used on line 1/,
    );
    failsWith("\n\n", /s\.jsonl: holds no cases/);
  });
});

describe("built-in suite", () => {
  const suite = builtinSuite();

  it("has at least 150 cases across every category, with unique ids", () => {
    assert.ok(suite.cases.length >= 150, `only ${suite.cases.length} cases`);
    for (const category of EVAL_CATEGORIES.filter((c) => c !== "relevance")) {
      assert.ok(
        suite.cases.filter((c) => c.category === category).length >= 10,
        `too few ${category} cases`,
      );
    }
    assert.equal(new Set(suite.cases.map((c) => c.id)).size, suite.cases.length);
  });

  it("uses the three built-in tools and at least a dozen others", () => {
    const used = new Set(suite.cases.flatMap((c) => c.tools.map((t) => t.function.name)));
    for (const name of ["search_documents", "calculator", "current_time"])
      assert.ok(used.has(name), name);
    assert.ok(used.size >= 15);
    assert.deepEqual([...used].sort(), Object.keys(BUILTIN_EVAL_TOOLS).sort());
  });

  it("survives a JSON Lines round trip through the loader's checks", () => {
    const again = parseSuiteJsonl(suiteToJsonl(suite), "builtin.jsonl");
    assert.deepEqual(again.cases, suite.cases);
  });

  it("is answerable: each case's own answer scores as right and validates against the schemas", () => {
    for (const testCase of suite.cases) {
      // Reversed, so parallel answers also exercise order-free matching.
      const calls = perfectCalls(testCase).reverse();
      const score = scoreCalls(testCase, calls);
      assert.equal(score.passed, true, `${testCase.id}: ${score.reason}`);
      for (const call of calls) {
        const check = validateCallSchema(call, testCase.tools);
        assert.equal(check.valid, true, `${testCase.id}: ${check.errors.join("; ")}`);
      }
    }
  });

  it("gives graph cases a route and the tool results their answers must mention", () => {
    for (const testCase of suite.cases.filter((c) => c.category === "graph")) {
      assert.ok(testCase.graph?.route, testCase.id);
      if (testCase.graph.route === "tools") {
        assert.ok(testCase.graph.answerIncludes?.length, testCase.id);
        assert.ok(testCase.toolResults, testCase.id);
      }
    }
  });

  it("samples every category round-robin when limited", () => {
    const chosen = selectCases(suite.cases, 14);
    assert.equal(chosen.length, 14);
    for (const category of [
      "simple",
      "multiple",
      "parallel",
      "parallel_multiple",
      "irrelevance",
      "multi_turn",
      "graph",
    ]) {
      assert.equal(chosen.filter((c) => c.category === category).length, 2, category);
    }
    assert.equal(selectCases(suite.cases).length, suite.cases.length);
    assert.throws(() => selectCases(suite.cases, 0), /at least 1/);
  });
});
