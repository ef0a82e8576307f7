import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { ToolMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { PLACES } from "../../src/micro/data/cities.js";
import { DOC_FACTS, TOPIC_FRAMES, topicQuestions } from "../../src/micro/data/doc-facts.js";
import {
  type Episode,
  LONG_THREADS,
  planEpisodes,
  readTime,
  type TurnPlan,
} from "../../src/micro/data/episodes.js";
import { TurnOracle } from "../../src/micro/data/oracle.js";
import { DEFAULT_SYSTEM_PROMPT } from "../../src/micro/data/phrasings.js";
import { SharedPrefixes } from "../../src/micro/data/shared-prefixes.js";
import { structuredJson } from "../../src/micro/data/targets.js";
import { asPlainText } from "../../src/micro/semantic-eval.js";
import {
  createCalculatorTool,
  createCurrentTimeTool,
  createSearchDocumentsTool,
  type SearchHit,
} from "../../src/tools/index.js";

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../examples/docs");

async function runTool(
  tool: StructuredToolInterface,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolMessage> {
  return (await tool.invoke({ type: "tool_call", id: "call-1", name, args })) as ToolMessage;
}

/** The expected value of "a op b", computed apart from the calculator. */
function compute(expression: string): number {
  const [a, op, b] = expression.split(" ");
  const x = Number(a);
  const y = Number(b);
  if (op === "+") return x + y;
  if (op === "-") return x - y;
  if (op === "*") return x * y;
  return x / y;
}

const train = planEpisodes({ split: "train", seed: 7, count: 400 });
const heldout = planEpisodes({ split: "heldout", seed: 7, count: 400 });
const turnsOf = (episodes: Episode[], kind: TurnPlan["kind"]) =>
  episodes.flatMap((episode) => episode.turns).filter((turn) => turn.kind === kind);

describe("micro data: the episode plans", () => {
  it("are the same for the same seed and differ across seeds and splits", () => {
    const again = planEpisodes({ split: "train", seed: 7, count: 400 });
    assert.deepEqual(
      again.map((episode) => episode.turns.map((turn) => turn.question)),
      train.map((episode) => episode.turns.map((turn) => turn.question)),
    );
    const other = planEpisodes({ split: "train", seed: 8, count: 400 });
    assert.notDeepEqual(
      other.map((episode) => episode.turns[0].question),
      train.map((episode) => episode.turns[0].question),
    );
  });

  it("run one or two questions a thread by default, up to four with LONG_THREADS", () => {
    const lengths = (episodes: Episode[]) => episodes.map((episode) => episode.turns.length);
    const short = lengths(train);
    assert.equal(Math.max(...short), 2);
    const long = lengths(
      planEpisodes({ split: "train", seed: 7, count: 400, threads: LONG_THREADS }),
    );
    assert.equal(Math.max(...long), 4);
    const mean = long.reduce((sum, length) => sum + length, 0) / long.length;
    // 1 + 0.4 + 0.16 + 0.064 expected.
    assert.ok(mean > 1.45 && mean < 1.8, `mean ${mean}`);
    assert.ok(long.filter((length) => length >= 3).length > 40);
  });

  it("covers every kind of question, several tool sets and system prompts, and second turns", () => {
    for (const kind of ["arithmetic", "time", "documents", "direct"] as const) {
      assert.ok(turnsOf(train, kind).length >= 30, `${kind}: ${turnsOf(train, kind).length}`);
    }
    const toolSets = new Set(train.map((episode) => episode.tools.join(",")));
    assert.ok(toolSets.size >= 3, [...toolSets].join(" | "));
    const defaults = train.filter((episode) => episode.systemPrompt === DEFAULT_SYSTEM_PROMPT);
    assert.ok(defaults.length > 250 && defaults.length < 400, `${defaults.length} default prompts`);
    assert.ok(train.filter((episode) => episode.turns.length === 2).length >= 40);
    for (const episode of train) {
      for (const turn of episode.turns) {
        if (turn.call) assert.ok(episode.tools.includes(turn.call.name), turn.question);
      }
    }
  });

  it("word held-out questions with templates the training split never uses", () => {
    // Replace the varying parts (numbers, places, operator words) to compare the templates.
    const shape = (question: string) =>
      PLACES.reduce((text, place) => text.replaceAll(place.name, "<place>"), question)
        .replace(/\d+/g, "<n>")
        .replace(/plus|added to|minus|take away|times|multiplied by|divided by|over/g, "<op>");
    const trainShapes = new Set(train.flatMap((e) => e.turns.map((turn) => shape(turn.question))));
    const heldoutShapes = heldout.flatMap((e) => e.turns.map((turn) => shape(turn.question)));
    const shared = heldoutShapes.filter((question) => trainShapes.has(question));
    assert.deepEqual([...new Set(shared)], []);
  });

  it("never asks a held-out document question in training, even where a topic frame would make one", () => {
    const heldoutWordings = new Set(
      DOC_FACTS.flatMap((fact) => fact.heldout.map((question) => question.toLowerCase())),
    );
    for (const fact of DOC_FACTS) {
      const questions = topicQuestions(fact);
      assert.equal(questions.length, TOPIC_FRAMES.length * fact.topics.length, fact.query);
      assert.deepEqual(
        questions.filter((question) => heldoutWordings.has(question.toLowerCase())),
        [],
      );
    }
    // "Explain {topic}." with the topic "hearth pull" is the held-out "Explain hearth pull.":
    // the frame stays for the other topics, that one question goes.
    const pull = DOC_FACTS.find((fact) => fact.topics.includes("hearth pull"));
    if (!pull?.heldout.includes("Explain hearth pull."))
      assert.fail("no held-out wording to test with");
    const explained = topicQuestions(pull, [(topic) => `Explain ${topic}.`]);
    assert.equal(explained.length, pull.topics.length - 1);
    assert.ok(!explained.includes("Explain hearth pull."));
    assert.ok(explained.includes("Explain the pull command."));
  });

  it("asks arithmetic whose forced expression the real calculator evaluates to the answer's number", async () => {
    const calculator = createCalculatorTool();
    const turns = turnsOf([...train, ...heldout], "arithmetic");
    let small = 0;
    for (const turn of turns) {
      const expression = String(turn.call?.args.expression);
      assert.match(expression, /^\d+ [-+*/] \d+$/);
      const numbers = expression
        .split(" ")
        .filter((part) => /\d/.test(part))
        .map(Number);
      if (numbers.every((n) => n < 1000)) small++;
      const result = String((await runTool(calculator, "calculator", { expression })).content);
      assert.equal(Number(result), compute(expression), expression);
      const answer = turn.answer(result);
      assert.ok(answer.includes(result), `${answer} / ${result}`);
      for (const number of numbers)
        assert.ok(turn.question.includes(String(number)), turn.question);
    }
    assert.equal(small, turns.length, "operands stay below 1000");
  });

  it("answers time questions with the clock current_time returned for a valid zone of the place", async () => {
    for (const place of PLACES) {
      assert.doesNotThrow(
        () => new Intl.DateTimeFormat("en-US", { timeZone: place.zone }),
        place.zone,
      );
    }
    const now = new Date("2025-06-01T08:07:00Z");
    const tool = createCurrentTimeTool({ now: () => now });
    for (const turn of turnsOf(train, "time").slice(0, 60)) {
      const zone = String(turn.call?.args.timezone);
      assert.ok(
        PLACES.some((place) => place.zone === zone && turn.question.includes(place.name)),
        `${turn.question} → ${zone}`,
      );
      const message = await runTool(tool, "current_time", { timezone: zone });
      assert.notEqual(message.status, "error");
      const result = String(message.content);
      const { clock } = readTime(result);
      const expected = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(now);
      assert.equal(clock, expected, zone);
      assert.ok(turn.answer(result).includes(clock));
    }
  });

  it("gives each document question a query whose first real search hit holds the answer's evidence", async () => {
    const tool = createSearchDocumentsTool({ folder: DOCS });
    for (const fact of DOC_FACTS) {
      const message = await runTool(tool, "search_documents", { query: fact.query });
      const hits = (message.artifact ?? []) as SearchHit[];
      assert.ok(hits.length > 0, fact.query);
      assert.equal(hits[0].source, fact.source, `${fact.query}: first hit ${hits[0].source}`);
      // What the model reads: the first passage as the tool writes it (cut to its snippet length).
      const first = String(message.content).split("\n\n[2]")[0].replace(/\s+/g, " ");
      assert.ok(first.includes(fact.evidence), `${fact.query}: "${fact.evidence}" not in ${first}`);
      // The scorer recognises an answer that uses the passage by these words.
      assert.ok(
        asPlainText(fact.answer).includes(asPlainText(fact.evidence)),
        `${fact.query}: the answer lacks "${fact.evidence}"`,
      );
      assert.equal(
        fact.train.filter((question) => fact.heldout.includes(question)).length,
        0,
        fact.query,
      );
    }
  });
});

describe("micro data: the oracle", () => {
  const wrongArithmetic = turnsOf(train, "arithmetic").find((turn) => turn.wrongDraft);
  const rightArithmetic = turnsOf(train, "arithmetic").find((turn) => !turn.wrongDraft);

  it("walks a turn with a wrong draft: route, call, wrong draft, rejecting verdict, retry, passing verdict", () => {
    assert.ok(wrongArithmetic?.call);
    const oracle = new TurnOracle(wrongArithmetic);
    const result = String(compute(String(wrongArithmetic.call.args.expression)));
    assert.deepEqual(oracle.respond("route", undefined), {
      kind: "json",
      value: { route: "tools", reason: "the question needs arithmetic" },
    });
    assert.deepEqual(oracle.respond("call", undefined), {
      kind: "call",
      name: "calculator",
      args: wrongArithmetic.call.args,
    });
    const draft = oracle.respond("answer", result);
    assert.equal(draft.kind, "text");
    const verdict = oracle.respond("verdict", result);
    assert.equal(verdict.kind, "json");
    const value = (verdict as { value: Record<string, unknown> }).value;
    assert.equal(value.grounded, false);
    assert.ok(String(value.critique).length > 10 && String(value.critique).length <= 160);
    const retry = oracle.respond("retry", result);
    assert.equal(retry.kind === "text" && retry.text, wrongArithmetic.answer(result));
    assert.ok(wrongArithmetic.answer(result).includes(result));
    assert.deepEqual(oracle.respond("verdict", result), {
      kind: "json",
      value: { grounded: true, complete: true, critique: "" },
    });
  });

  it("never lets a wrong draft state the tool's result, and always has a right answer that does", () => {
    let wrong = 0;
    for (const turn of turnsOf(train, "arithmetic")) {
      if (!turn.wrongDraft) continue;
      wrong++;
      const result = String(compute(String(turn.call?.args.expression)));
      const { draft, verdict } = turn.wrongDraft(result);
      assert.ok(!draft.includes(` ${result}.`) && !draft.endsWith(` ${result}`), draft);
      assert.ok(!(verdict.grounded && verdict.complete));
    }
    assert.ok(wrong > 20, `${wrong} wrong drafts`);
    assert.ok(rightArithmetic);
    const oracle = new TurnOracle(rightArithmetic);
    const result = String(compute(String(rightArithmetic.call?.args.expression)));
    const answer = oracle.respond("answer", result);
    assert.equal(answer.kind === "text" && answer.text, rightArithmetic.answer(result));
  });

  it("answers direct turns without tools and fails loudly when a step needs a missing result", () => {
    const direct = turnsOf(train, "direct")[0];
    const oracle = new TurnOracle(direct);
    assert.equal(oracle.respond("route", undefined).kind, "json");
    assert.equal(oracle.respond("direct", undefined).kind, "text");
    assert.throws(() => oracle.respond("call", undefined), /forced a tool call on a direct turn/);
    assert.throws(() => new TurnOracle(direct).respond("answer", undefined), /no tool result/);
  });
});

describe("micro data: formats", () => {
  it("writes structured JSON as Hearth's fixed JSON does, keys in schema order", () => {
    assert.equal(
      structuredJson({ reason: "r", route: "tools" }, ["route", "reason"]),
      '{"route": "tools", "reason": "r"}',
    );
    assert.equal(
      structuredJson({ critique: "", complete: true, grounded: false }, [
        "grounded",
        "complete",
        "critique",
      ]),
      '{"grounded": false, "complete": true, "critique": ""}',
    );
  });

  it("splits prompts into each group's longest common prefix and suffixes that rebuild them", () => {
    const prefixes = new SharedPrefixes<number>();
    const prompts: Record<string, number[][]> = {
      a: [
        [1, 2, 3, 4, 5],
        [1, 2, 3, 9],
        [1, 2, 7],
        [1, 2, 3, 4, 6],
      ],
      b: [[5, 6]],
    };
    for (const [group, list] of Object.entries(prompts)) {
      for (const [index, prompt] of list.entries()) prefixes.add(group, prompt, index);
    }
    const entries = [...prefixes.entries()];
    assert.deepEqual(
      entries.map((entry) => [entry.group, entry.prefix]),
      [
        ["a", [1, 2]],
        ["b", [5]],
      ],
    );
    for (const entry of entries) {
      for (const item of entry.items) {
        assert.deepEqual([...entry.prefix, ...item.suffix], prompts[entry.group][item.value]);
        assert.ok(item.suffix.length > 0);
      }
    }
  });
});
