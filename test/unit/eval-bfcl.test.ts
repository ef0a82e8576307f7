import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.js";
import {
  bfclSchemaToJsonSchema,
  checkReferenceCalls,
  type EvalCase,
  importBfcl,
  loadSuite,
  readBfclFiles,
  SuiteFormatError,
  scoreCalls,
  validateCallSchema,
} from "../../src/eval/index.js";
import { compileTools } from "../../src/tools/index.js";

// Named .jsonl so the linter leaves them alone; BFCL's own files say .json but hold JSON Lines too.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "bfcl");
const fixture = (name: string) => join(FIXTURES, name);
const byId = (cases: EvalCase[], id: string) => cases.find((c) => c.id === id)!;
type Schema = Record<string, unknown> & { properties?: Record<string, Schema> };
const paramsOf = (testCase: EvalCase) => testCase.tools[0].function.parameters as Schema;

describe("BFCL importer", () => {
  const temps: string[] = [];
  after(async () => {
    for (const dir of temps) await rm(dir, { recursive: true, force: true });
  });

  it("imports a simple file with its possible_answer sibling: names, types and answers", async () => {
    const suite = await readBfclFiles(fixture("BFCL_v3_simple.jsonl"));
    assert.equal(suite.cases.length, 4);
    assert.ok(suite.cases.every((c) => c.category === "simple"));

    const triangle = byId(suite.cases, "simple_0");
    assert.deepEqual(triangle.messages, [
      {
        role: "user",
        content: "Find the area of a triangle with a base of 10 units and height of 5 units.",
      },
    ]);
    assert.equal(triangle.tools[0].type, "function");
    assert.equal(paramsOf(triangle).type, "object");
    assert.deepEqual(triangle.expected, [
      [
        {
          name: "calculate_triangle_area",
          arguments: { base: [10], height: [5], unit: ["units", ""] },
        },
      ],
    ]);

    // Dots become underscores in the offered tool and in the answer alike.
    const factorial = byId(suite.cases, "simple_1");
    assert.equal(factorial.tools[0].function.name, "math_factorial");
    assert.deepEqual(factorial.expected, [
      [{ name: "math_factorial", arguments: { number: [7] } }],
    ]);

    // float -> number, tuple -> array, any -> no type; system messages are kept.
    const circle = byId(suite.cases, "simple_2");
    const props = paramsOf(circle).properties!;
    assert.equal(props.radius.type, "number");
    assert.equal(props.center.type, "array");
    assert.equal(props.tag.type, undefined);
    assert.equal(circle.messages[0].role, "system");

    // dict -> object, recursively.
    const waste = byId(suite.cases, "simple_3");
    const population = paramsOf(waste).properties!.population;
    assert.equal(population.type, "object");
    assert.equal(
      (population.properties as Record<string, { type: string }>).adults.type,
      "integer",
    );
  });

  it("scores imported cases like BFCL's checker", async () => {
    const suite = await readBfclFiles(fixture("BFCL_v3_simple.jsonl"));
    const score = (id: string, name: string, args: Record<string, unknown>) =>
      scoreCalls(byId(suite.cases, id), [{ name, args }]);
    assert.equal(
      score("simple_0", "calculate_triangle_area", { base: 10, height: 5 }).passed,
      true,
    );
    assert.equal(
      score("simple_0", "calculate_triangle_area", { base: 10, height: 5, unit: "Units" }).passed,
      true,
    );
    assert.equal(
      score("simple_0", "calculate_triangle_area", { base: 10.5, height: 5 }).passed,
      false,
    );
    assert.equal(score("simple_1", "math.factorial", { number: 7 }).passed, true);
    // A float parameter takes a whole number; a tuple compares as a list; `any` takes the string.
    assert.equal(
      score("simple_2", "geometry_plot_circle", { radius: 2.5, center: [1, 2], tag: "Demo" })
        .passed,
      true,
    );
    assert.equal(
      score("simple_2", "geometry_plot_circle", { radius: 2.5, center: [2, 1] }).passed,
      false,
    );
    assert.equal(
      score("simple_3", "waste_calculation_calculate", {
        population: { adults: 2, children: 2 },
        location: "LA",
      }).passed,
      true,
    );
    assert.equal(
      score("simple_3", "waste_calculation_calculate", {
        population: { adults: 2, children: 3 },
        location: "LA",
      }).passed,
      false,
    );
    // The converted schemas are real JSON Schema: the validator reads them.
    const circle = byId(suite.cases, "simple_2");
    assert.equal(
      validateCallSchema(
        { name: "geometry_plot_circle", args: { radius: 1, center: [0, 0] } },
        circle.tools,
      ).valid,
      true,
    );
    assert.equal(
      validateCallSchema(
        { name: "geometry_plot_circle", args: { radius: "1", center: [0, 0] } },
        circle.tools,
      ).valid,
      false,
    );
  });

  it("maps every AST category, with no answers needed for (ir)relevance", async () => {
    const categories = async (file: string) =>
      (await readBfclFiles(fixture(file))).cases.map((c) => [
        c.id,
        c.category,
        typeof c.expected === "string" ? c.expected : c.expected[0].length,
      ]);
    assert.deepEqual(await categories("BFCL_v3_multiple.jsonl"), [
      ["multiple_0", "multiple", 1],
      ["multiple_1", "multiple", 1],
    ]);
    assert.deepEqual(await categories("BFCL_v3_parallel.jsonl"), [
      ["parallel_0", "parallel", 2],
      ["parallel_1", "parallel", 2],
    ]);
    assert.deepEqual(await categories("BFCL_v3_parallel_multiple.jsonl"), [
      ["parallel_multiple_0", "parallel_multiple", 2],
    ]);
    assert.deepEqual(await categories("BFCL_v3_irrelevance.jsonl"), [
      ["irrelevance_0", "irrelevance", "none"],
      ["irrelevance_1", "irrelevance", "none"],
    ]);
    assert.deepEqual(await categories("BFCL_v3_live_relevance.jsonl"), [
      ["live_relevance_0-0-0", "relevance", "any"],
    ]);
  });

  it("matches parallel answers in any order", async () => {
    const suite = await readBfclFiles(fixture("BFCL_v3_parallel.jsonl"));
    const calls = [
      { name: "get_stock_data", args: { symbol: "MSFT", data_points: ["volume", "price"] } },
      { name: "get_stock_data", args: { symbol: "aapl", data_points: ["price", "volume"] } },
    ];
    assert.equal(scoreCalls(byId(suite.cases, "parallel_1"), calls).passed, true);
  });

  it("is what `--suite <file>` loads when the file is a BFCL question file, under BFCL's own names", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hearth-bfcl-"));
    temps.push(dir);
    await mkdir(join(dir, "possible_answer"));
    await copyFile(
      fixture("BFCL_v3_parallel_multiple.jsonl"),
      join(dir, "BFCL_v3_parallel_multiple.json"),
    );
    await copyFile(
      fixture("possible_answer/BFCL_v3_parallel_multiple.jsonl"),
      join(dir, "possible_answer", "BFCL_v3_parallel_multiple.json"),
    );
    const suite = await loadSuite(join(dir, "BFCL_v3_parallel_multiple.json"));
    assert.equal(suite.name, "BFCL_v3_parallel_multiple");
    assert.deepEqual(suite.cases[0].expected, [
      [
        { name: "math_factorial", arguments: { number: [5] } },
        { name: "math_sqrt", arguments: { num: [81.0], accuracy: ["", 2] } },
      ],
    ]);
  });

  it("says where the answers are expected when they are missing", async () => {
    const questions = await readFile(fixture("BFCL_v3_simple.jsonl"), "utf8");
    assert.throws(
      () => importBfcl({ questions, source: "BFCL_v3_simple.json" }),
      (error: unknown) =>
        error instanceof SuiteFormatError &&
        /BFCL_v3_simple\.json:1: field "id": .*possible_answer/.test(error.message),
    );
    assert.throws(
      () =>
        importBfcl({
          questions,
          answers: '{"id": "simple_0", "ground_truth": []}\n',
          source: "q.json",
        }),
      /q\.json:2: field "id": no ground truth with this id/,
    );
  });

  it("refuses categories BFCL does not score by AST, and unknown types, with the reason", async () => {
    const multiTurn = JSON.stringify({
      id: "multi_turn_base_0",
      question: [[{ role: "user", content: "a" }], [{ role: "user", content: "b" }]],
      function: [],
    });
    assert.throws(
      () => importBfcl({ questions: multiTurn, source: "mt.json" }),
      /mt\.json:1: field "id": .*multi-turn categories/,
    );
    const java = JSON.stringify({
      id: "simple_java_0",
      question: [[{ role: "user", content: "a" }]],
      function: [],
    });
    assert.throws(() => importBfcl({ questions: java, source: "java.json" }), /Java\/JavaScript/);
    assert.throws(
      () => bfclSchemaToJsonSchema({ type: "dict", properties: { x: { type: "HashMap" } } }),
      /parameters\.x: BFCL type "HashMap" is not supported/,
    );
    const dir = await mkdtemp(join(tmpdir(), "hearth-bfcl-"));
    temps.push(dir);
    await writeFile(
      join(dir, "bad.json"),
      '{"id": "simple_0", "question": [[{"role": "user", "content": "x"}]], "function": [{"name": "f", "parameters": {"type": "dict", "properties": {}}}]}\n{oops\n',
    );
    await assert.rejects(loadSuite(join(dir, "bad.json")), /bad\.json:2: not a JSON object/);
  });
});

describe("BFCL definitions as the live data writes them", () => {
  const live = () => readBfclFiles(fixture("BFCL_v3_live_multiple.jsonl"));

  it("puts an enum written on a list onto its items", async () => {
    const meals = paramsOf(byId((await live()).cases, "live_multiple_2-0-0")).properties!.meals;
    assert.equal(meals.enum, undefined);
    assert.deepEqual(meals.items, { type: "string", enum: ["breakfast", "lunch", "dinner"] });
    // A list-valued enum really is about the whole list; it stays.
    const tuple = bfclSchemaToJsonSchema({ type: "array", enum: [["a", "b"]] });
    assert.deepEqual(tuple.enum, [["a", "b"]]);
  });

  it("binds every entry's whole tool set, type/enum contradictions included", async () => {
    for (const testCase of (await live()).cases) {
      assert.doesNotThrow(() => compileTools(testCase.tools), testCase.id);
    }
  });

  it("accepts every reference call a standard JSON Schema validator accepts, and the repaired ones", async () => {
    const check = checkReferenceCalls(await live());
    assert.deepEqual(check.isolated, []);
    assert.deepEqual(check.onlyValidatorAccepts, []);
    assert.equal(check.definitions, 5);
    assert.equal(check.calls, 3);
    // @cfworker/json-schema refuses "True" for a boolean whose enum lists only strings.
    assert.equal(check.acceptedByValidator, 2);
    assert.equal(check.acceptedByHearth, 3);
  });

  it("`hearth eval --check-schemas` prints the check without a model", async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (text: string) => lines.push(text);
    try {
      const saved = process.env.HEARTH_MODEL;
      delete process.env.HEARTH_MODEL;
      const code = await main([
        "eval",
        "--check-schemas",
        "--suite",
        fixture("BFCL_v3_live_multiple.jsonl"),
      ]);
      if (saved !== undefined) process.env.HEARTH_MODEL = saved;
      assert.equal(code, 0);
    } finally {
      console.log = original;
    }
    assert.match(lines.join("\n"), /Tool definitions: 5, compiled: 5, isolated: 0/);
    assert.match(
      lines.join("\n"),
      /Reference calls: 3; accepted by Hearth: 3; by a standard .*: 2/,
    );
  });

  it("isolates a definition Hearth cannot compile with its reason, and still checks the rest", () => {
    const suite = importBfcl({
      source: "BFCL_v3_live_simple.json",
      questions: `${JSON.stringify({
        id: "live_simple_0-0-0",
        question: [[{ role: "user", content: "x" }]],
        function: [
          {
            name: "f",
            parameters: {
              type: "dict",
              properties: { a: { type: "string", not: { const: "b" } } },
            },
          },
        ],
      })}\n`,
      answers: `${JSON.stringify({ id: "live_simple_0-0-0", ground_truth: [{ f: { a: ["c"] } }] })}\n`,
    });
    const check = checkReferenceCalls(suite);
    assert.equal(check.isolated.length, 1);
    assert.match(check.isolated[0].reason, /keyword "not" is not supported/);
    assert.equal(check.acceptedByValidator, 1);
    assert.equal(check.onlyValidatorAccepts.length, 1);
  });

  it("scores the declared type and the enum's spelling of it alike, and checks schema validity the same way", async () => {
    const house = byId((await live()).cases, "live_multiple_1-0-0");
    const call = (args: Record<string, unknown>) => [
      { name: "Hotels_2_SearchHouse", args: { where_to: "Austin", ...args } },
    ];
    for (const args of [
      { has_laundry_service: true, number_of_adults: 2 },
      { has_laundry_service: "True", number_of_adults: "2" },
    ]) {
      assert.equal(scoreCalls(house, call(args)).passed, true, JSON.stringify(args));
      assert.equal(
        validateCallSchema(call(args)[0], house.tools).valid,
        true,
        JSON.stringify(args),
      );
    }
    const wrong = scoreCalls(house, call({ has_laundry_service: false }));
    assert.equal(wrong.passed, false);
    assert.match(wrong.reason!, /has_laundry_service/);
    assert.equal(
      validateCallSchema(call({ has_laundry_service: "yes" })[0], house.tools).valid,
      false,
    );
  });
});
