import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CalculatorError,
  compileTools,
  createCalculatorTool,
  evaluateExpression,
} from "../../src/tools/index.js";

describe("calculator: evaluateExpression", () => {
  const cases: [string, number][] = [
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["100 / 10 / 5", 2],
    ["2 ^ 3 ^ 2", 512],
    ["2 ** 10", 1024],
    ["-2 ^ 2", -4],
    ["(-2) ^ 2", 4],
    ["2 ^ -1", 0.5],
    ["--3", 3],
    ["-(4 + 1) * +2", -10],
    ["17 % 5", 2],
    ["-7 % 3", -1],
    ["1.5e3 + .5", 1500.5],
    ["sqrt(16) + abs(-3)", 7],
    ["round(2.345, 2)", 2.35],
    ["round(2.5)", 3],
    ["floor(-1.5) + ceil(1.2)", 0],
    ["min(3, 1, 2) + max(3, 1, 2)", 4],
    ["log(1000) + ln(e) + log2(8) + log(8, 2)", 10],
    ["2 * PI", 2 * Math.PI],
    ["cos(0) + exp(0)", 2],
  ];
  for (const [expression, expected] of cases) {
    it(`${expression} = ${expected}`, () => {
      assert.ok(Math.abs(evaluateExpression(expression) - expected) < 1e-9);
    });
  }

  const errors: [string, RegExp][] = [
    ["", /empty/],
    ["   ", /empty/],
    ["1 +", /ends too early/],
    ["(1 + 2", /Expected "\)"/],
    ["1 + 2)", /Unexpected "\)" at position 6/],
    ["2 $ 3", /Unexpected character "\$" at position 3/],
    ["1 / 0", /Division by zero/],
    ["5 % 0", /Modulo by zero/],
    ["sqrt(-1)", /negative/],
    ["ln(0)", /undefined/],
    ["foo(1)", /Unknown function "foo"/],
    ["x + 1", /Unknown name "x"/],
    ["sqrt", /is a function/],
    ["max()", /at least 1 argument/],
    ["sqrt(1, 2)", /takes 1 argument/],
    ["10 ^ 400", /not a finite number/],
    ["process.exit(1)", /Unknown name "process"|Unexpected character/],
    ["constructor", /Unknown name "constructor"/],
    ["toString(1)", /Unknown function "tostring"/],
    ["2 3", /Unexpected "3"/],
  ];
  for (const [expression, message] of errors) {
    it(`rejects ${JSON.stringify(expression)}`, () => {
      assert.throws(
        () => evaluateExpression(expression),
        (error: unknown) => error instanceof CalculatorError && message.test(error.message),
      );
    });
  }
});

describe("calculator tool", () => {
  it("answers with a tidy number", async () => {
    const calculator = createCalculatorTool();
    assert.equal(await calculator.invoke({ expression: "0.1 + 0.2" }), "0.3");
    assert.equal(await calculator.invoke({ expression: "2^53 + 1" }), "9007199254740992");
    assert.equal(await calculator.invoke({ expression: "1/3" }), "0.333333333333");
  });

  it("reports a bad expression as an error the agent can pass to the model", async () => {
    const calculator = createCalculatorTool();
    await assert.rejects(calculator.invoke({ expression: "1 / 0" }), /Division by zero/);
  });

  it("compiles to a grammar schema with one string argument", () => {
    const compiled = compileTools([createCalculatorTool()]).tools[0];
    assert.equal(compiled.modelName, "calculator");
    assert.deepEqual(Object.keys((compiled.grammarSchema as { properties: object }).properties), [
      "expression",
    ]);
    assert.equal(compiled.validate({ expression: "" }).ok, false);
  });
});
