import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinSuite, restrictSuiteToTools } from "../../src/eval/index.js";
import { MICRO_TOOL_NAMES } from "../../src/models/load/micro-model.js";

test("restricting the built-in suite to Hearth Micro's tools keeps exactly the cases offering only them, and says so", () => {
  const suite = builtinSuite();
  const restricted = restrictSuiteToTools(suite, MICRO_TOOL_NAMES, "Hearth Micro's tools only");
  assert.ok(restricted.cases.length > 0 && restricted.cases.length < suite.cases.length);
  for (const c of suite.cases) {
    const onlyMicro = c.tools.every((tool) => MICRO_TOOL_NAMES.includes(tool.function.name));
    assert.equal(
      restricted.cases.some((kept) => kept.id === c.id),
      onlyMicro,
      c.id,
    );
  }
  assert.ok(restricted.cases.some((c) => c.id === "graph_calc_answer"));
  assert.ok(!restricted.cases.some((c) => c.id === "graph_weather_answer"));
  assert.match(restricted.name, /Hearth Micro's tools only: the \d+ of \d+ cases/);
});

test("a restriction no case satisfies is an error naming the tools", () => {
  assert.throws(
    () => restrictSuiteToTools(builtinSuite(), ["no_such_tool"], "x"),
    /no case whose tools are all among no_such_tool/,
  );
});
