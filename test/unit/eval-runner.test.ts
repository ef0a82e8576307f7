import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import {
  builtinSuite,
  type EvalProgress,
  type EvalReport,
  type EvalSuite,
  runEval,
  writeReports,
} from "../../src/eval/index.js";
import { callTools, ScriptedChatModel } from "../../src/testing/index.js";
import { compileTools, type ToolLike } from "../../src/tools/index.js";
import { caseOf, oracle, perfectCalls, reply } from "../helpers/eval-oracle.js";

const builtin = builtinSuite();
const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describe("runEval in model mode (scripted model)", () => {
  // Right on every case but four: a wrong value, a throw, an unparseable call, a schema-invalid call.
  const model = new ScriptedChatModel(
    oracle(builtin, (testCase) => {
      switch (testCase.id) {
        case "simple_weather_paris":
          return reply([{ name: "get_weather", args: { city: "Lyon" } }]);
        case "multiple_weather_not_forecast":
          return new Error("boom: the model fell over");
        case "parallel_weather_three_capitals":
          return new AIMessage({
            content: "",
            invalid_tool_calls: [
              {
                type: "invalid_tool_call",
                id: "x",
                name: "get_weather",
                args: '{"city": "Lon',
                error: "Unexpected end of JSON",
              },
            ],
          });
        case "irrelevance_joke":
          return reply([{ name: "get_weather", args: { city: "Paris", unit: "kelvin" } }]);
        default:
          return undefined;
      }
    }),
    { usage: { input: 1, output: 12 } },
  );
  const progress: EvalProgress[] = [];
  let report: EvalReport;
  let outDir: string;

  it("runs every selected case, recording failures (and the throw) without stopping", async () => {
    report = await runEval({
      model,
      suite: builtin,
      limit: 21,
      toolChoice: "required",
      modelInfo: {
        file: "/models/fake.gguf",
        name: "Fake",
        metadata: { "general.architecture": "llama" },
        randomWeights: false,
      },
      onProgress: (p) => progress.push(p),
    });
    assert.equal(report.results.length, 21);
    assert.deepEqual(
      progress.map((p) => p.done),
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    assert.ok(progress.every((p) => p.total === 21));
    const failed = report.results.filter((r) => !r.passed).map((r) => [r.id, r.reason]);
    assert.deepEqual(failed, [
      [
        "simple_weather_paris",
        'get_weather: argument "city": "Lyon" is not among the acceptable values "Paris", "Paris, France"',
      ],
      ["multiple_weather_not_forecast", "error: boom: the model fell over"],
      ["parallel_weather_three_capitals", "1 tool call(s) with unparseable arguments"],
      ["irrelevance_joke", "no call was expected, got get_weather"],
    ]);
  });

  it("binds each case's tools with the requested tool choice", () => {
    const multiple = builtin.cases.find((c) => c.id === "multiple_forecast_not_weather")!;
    const turn = model.calls.find(
      (t) => t.toolNames.join() === multiple.tools.map((x) => x.function.name).join(),
    );
    assert.ok(turn);
    assert.equal(turn.toolChoice, "required");
    // Without parallel_tool_calls a forced choice returns one call and parallel cases cannot pass.
    assert.ok(model.calls.every((c) => c.options.parallel_tool_calls === true));
    assert.equal(report.options.parallelToolCalls, true);
  });

  it("summarises consistently with the case results", () => {
    const s = report.summary;
    assert.equal(s.cases, 21);
    assert.equal(s.passed, 17);
    assert.equal(s.accuracy, 17 / 21);
    assert.equal(s.errors, 1);
    for (const [category, c] of Object.entries(s.byCategory)) {
      const rs = report.results.filter((r) => r.category === category);
      assert.equal(c.n, rs.length, category);
      assert.equal(c.passed, rs.filter((r) => r.passed).length, category);
    }
    assert.equal(s.byCategory.simple?.accuracy, 2 / 3);
    assert.equal(s.byCategory.graph?.accuracy, 1);
    // One unparseable call and one enum violation among the emitted calls.
    const emitted = report.results.reduce((n, r) => n + r.calls.length + r.invalidCalls, 0);
    assert.equal(s.emittedCalls, emitted);
    assert.equal(s.schemaValidCalls, emitted - 2);
    assert.equal(s.schemaValidRate, (emitted - 2) / emitted);
    assert.match(
      report.results.find((r) => r.id === "irrelevance_joke")!.schemaErrors!.join(),
      /get_weather: .*#\/unit: Instance does not match any of/,
    );
    // 20 cases reported 12 output tokens each; the one that threw has none.
    assert.equal(s.outputTokens, 20 * 12);
    assert.ok(s.tokensPerSecond !== null && s.tokensPerSecond > 0);
    assert.ok(s.latencyMs.p50 <= s.latencyMs.p95);
    assert.ok(s.peakRssBytes > 0);
    assert.equal(s.rounds.max, 1);
    assert.equal(s.routeAccuracy, null);
    assert.match(report.notes.join(" "), /"required" forces a call/);
    assert.equal(report.suite.selectedCases, 21);
    assert.equal(report.options.toolChoice, "required");
  });

  it("writes report.json, report.md and report.html that agree with each other", async () => {
    outDir = await mkdtemp(join(tmpdir(), "hearth-eval-"));
    temps.push(outDir);
    const written = await writeReports(report, outDir);
    const json = JSON.parse(await readFile(written.json, "utf8"));
    assert.deepEqual(json, JSON.parse(JSON.stringify(report)));
    assert.equal(json.model.file, "/models/fake.gguf");

    const md = await readFile(written.markdown, "utf8");
    assert.match(md, /\| Accuracy \| 81\.0% \(17\/21\) \|/);
    assert.match(md, /\| simple \| 3 \| 2 \| 66\.7% \|/);
    assert.match(md, /## Failed cases \(4\)/);
    assert.match(
      md,
      /### simple_weather_paris \(simple\)\n\n- \*\*Reason:\*\* .*Lyon.*\n- \*\*Expected:\*\* `get_weather\(city="Paris"\|"Paris, France", unit=/,
    );
    assert.match(md, /- \*\*Got:\*\* `get_weather\(city="Lyon"\)`/);
    assert.match(md, /Qwen3-8B \(FC\) \| 66\.34 \| 76\.75/);
    assert.match(md, /\*\*This run\*\*: Fake \| 80\.95 \| 66\.67/);

    const html = await readFile(written.html, "utf8");
    assert.match(html, /<svg[^>]+id="category-chart"/);
    assert.match(html, /<svg[^>]+id="latency-histogram"/);
    assert.equal(
      (html.match(/class="bar"/g) ?? []).length,
      1 + Object.keys(report.summary.byCategory).length,
    );
    assert.match(html, /81\.0% of 21/);
    // Self-contained: nothing fetched, nothing run.
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\(/i);
  });

  it("says in every report when the weights are random", async () => {
    const random = await runEval({
      model: new ScriptedChatModel(oracle(builtin), { usage: { input: 1, output: 10 } }),
      suite: builtin,
      limit: 3,
      modelInfo: { file: "t.gguf", randomWeights: true },
    });
    assert.match(random.notes[0], /RANDOM WEIGHTS.*chance/);
    const dir = await mkdtemp(join(tmpdir(), "hearth-eval-"));
    temps.push(dir);
    const written = await writeReports(random, dir);
    assert.match(await readFile(written.markdown, "utf8"), /> \*\*Note:\*\* RANDOM WEIGHTS/);
    assert.match(await readFile(written.html, "utf8"), /class="note">RANDOM WEIGHTS/);
  });

  it("refuses a model without bindTools", async () => {
    const model = new ScriptedChatModel(() => reply([]), { usage: { input: 1, output: 10 } });
    Object.defineProperty(model, "bindTools", { value: undefined });
    await assert.rejects(runEval({ model, suite: builtin, limit: 1 }), /has no bindTools\(\)/);
  });
});

/** Compiles tools at bind time with Hearth's compiler, as ChatNodeLlamaCpp does (it throws on what it cannot express). */
class CompilingScriptedModel extends ScriptedChatModel {
  override bindTools(...args: Parameters<ScriptedChatModel["bindTools"]>) {
    compileTools(args[0] as ToolLike[]);
    return super.bindTools(...args);
  }
}

describe("runEval when tools cannot be bound", () => {
  const weather = {
    type: "function" as const,
    function: {
      name: "get_weather",
      description: "Weather",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  };
  // `not` is a keyword Hearth's compiler refuses (the grammar cannot enforce it).
  const broken = {
    type: "function" as const,
    function: {
      name: "odd_tool",
      description: "Refused at bind time",
      parameters: { type: "object", properties: { x: { not: { const: 1 } } } },
    },
  };
  const suite: EvalSuite = {
    name: "bind",
    source: "memory",
    cases: [
      {
        id: "simple_isolated",
        category: "simple",
        messages: [{ role: "user", content: "Weather in Oslo?" }],
        tools: [weather, broken],
        expected: [[{ name: "get_weather", arguments: { city: ["Oslo"] } }]],
      },
      {
        id: "simple_unbindable",
        category: "simple",
        messages: [{ role: "user", content: "Odd?" }],
        tools: [broken],
        expected: [[{ name: "odd_tool", arguments: { x: [2] } }]],
      },
      {
        id: "simple_slow",
        category: "simple",
        messages: [{ role: "user", content: "Weather in Rome?" }],
        tools: [weather],
        expected: [[{ name: "get_weather", arguments: { city: ["Rome"] } }]],
      },
    ],
  };

  it("binds the rest of a case's tools, and keeps a case that never reached the model out of the latency figures", async () => {
    const model = new CompilingScriptedModel(async (call) => {
      const testCase = caseOf(suite, call.messages);
      if (testCase.id === "simple_slow") await new Promise((r) => setTimeout(r, 60));
      return reply(perfectCalls(testCase));
    });
    const report = await runEval({ model, suite, toolChoice: "required" });
    const [isolated, unbindable, slow] = report.results;
    assert.equal(isolated.passed, true);
    assert.deepEqual(model.calls[0].toolNames, ["get_weather"]);
    assert.equal(isolated.isolatedTools?.[0].name, "odd_tool");
    assert.match(isolated.isolatedTools![0].reason, /keyword "not" is not supported/);
    assert.equal(unbindable.failedAt, "bind");
    assert.equal(unbindable.passed, false);
    assert.equal(slow.passed, true);
    const s = report.summary;
    assert.deepEqual([s.errors, s.bindErrors, s.isolatedTools], [1, 1, 1]);
    // The percentiles come from the two cases that got a reply: the bind failure's ~0 ms is not one.
    assert.ok(s.latencyMs.p50 >= Math.min(isolated.latencyMs, slow.latencyMs));
    assert.ok(s.latencyMs.p95 >= 50, String(s.latencyMs.p95));
    assert.equal(s.latencyMs.mean, (isolated.latencyMs + slow.latencyMs) / 2);
    assert.match(report.notes.join(" "), /1 while binding their tools.*left out of the latency/);
    assert.match(report.notes.join(" "), /1 tool definition\(s\) were refused at bind time/);
  });
});

describe("runEval in graph mode (scripted model through the agent graph)", () => {
  const ids = [
    "graph_calc_answer",
    "graph_weather_answer",
    "graph_direct_greeting",
    "graph_direct_knowledge",
  ];
  const suite: EvalSuite = {
    name: "graph-slice",
    source: "test",
    cases: builtin.cases.filter((c) => ids.includes(c.id)),
  };
  // The graph may append its own notes as human messages; find the case's question among them.
  const question = (messages: BaseMessage[]) =>
    messages.map((m) => String(m.content)).find((text) => text in plans) ?? "(no known question)";
  const toolOutput = (messages: BaseMessage[]) =>
    messages
      .filter((m) => m.getType() === "tool")
      .map((m) => String(m.content))
      .join(" ");
  const plans: Record<
    string,
    {
      route: "tools" | "direct";
      calls?: { name: string; args: Record<string, unknown> }[];
      answer: (tools: string) => string;
    }
  > = {
    "What is 17 multiplied by 23?": {
      route: "tools",
      calls: [{ name: "calculator", args: { expression: "17 * 23" } }],
      answer: (t) => `The result is ${t}.`,
    },
    "What's the weather in Oslo right now?": {
      route: "tools",
      calls: [{ name: "get_weather", args: { city: "Oslo" } }],
      answer: () => "It is sunny.",
    },
    "Hi! Just say hello back.": { route: "direct", answer: () => "Hello!" },
    "What is the chemical symbol for gold?": {
      route: "tools",
      calls: [{ name: "calculator", args: { expression: "79" } }],
      answer: () => "Au",
    },
  };
  const model = new ScriptedChatModel((call) => {
    const plan = plans[question(call.messages)];
    if (call.step === "route") return { route: plan.route, reason: "scripted" };
    if (call.step === "validate") return { grounded: true, complete: true, critique: "" };
    const results = toolOutput(call.messages);
    if (call.step === "agent" && !results) return callTools(...(plan.calls ?? []));
    return new AIMessage(plan.answer(results));
  });

  it("checks the route, the first round of calls and the answer, with stub tools returning canned results", async () => {
    const report = await runEval({ model, suite, mode: "graph" });
    const outcome = Object.fromEntries(
      report.results.map((r) => [r.id, [r.passed, r.reason ?? "", r.route?.got, r.rounds]]),
    );
    assert.deepEqual(outcome, {
      graph_calc_answer: [true, "", "tools", 1],
      graph_weather_answer: [false, 'answer does not mention "snow"', "tools", 1],
      graph_direct_greeting: [true, "", "direct", 0],
      graph_direct_knowledge: [false, "route: expected direct, got tools", "tools", 1],
    });
    // The calculator stub answered with the case's canned "391", which the answer repeats.
    assert.match(report.results[0].answer ?? "", /391/);
    assert.equal(report.summary.routeAccuracy, 3 / 4);
    assert.equal(report.summary.accuracy, 2 / 4);
    assert.equal(report.summary.schemaValidRate, 1);
    assert.match(report.notes.join(" "), /Graph mode/);
  });
});
