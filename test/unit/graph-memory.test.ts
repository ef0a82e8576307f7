import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AIMessage, HumanMessage, isHumanMessage, SystemMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { modelContextSize } from "../../src/graph/call-options.js";
import { createAgentGraph, openCheckpointer, summarizeRun } from "../../src/graph/index.js";
import { approximateTokens, chooseTokenCounter } from "../../src/graph/tokens.js";
import { contextBudget, selectHistory } from "../../src/graph/trimming.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import {
  callTools,
  type ScriptedCall,
  ScriptedChatModel,
  stepScript,
} from "../../src/testing/index.js";
import { addTool, threadConfig } from "../helpers/graph-fixtures.js";

const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

/** Answers "what is my name?" from whatever the prompt it was given still contains. */
/**
 * Twenty long turns in one thread, on a graph not told the model's context size: the last
 * prompt must fit `size`'s budget, with the first turns trimmed away.
 */
async function assertTrimsTo(model: ScriptedChatModel, size: number, thread: string) {
  const graph = createAgentGraph({ model, systemPrompt: "S" });
  const filler = "lorem ipsum dolor sit amet ".repeat(12);
  for (let turn = 0; turn < 20; turn += 1) {
    await graph.invoke(ask(`Turn ${turn}: ${filler}`), threadConfig(thread));
  }
  const last = model.calls.at(-1)!;
  assert.ok(
    (await chooseTokenCounter(model).count(last.messages)) <= contextBudget(size).promptTokens,
    `prompt within ${size}'s budget`,
  );
  assert.notEqual(String(last.messages[1].content).slice(0, 7), "Turn 0:", "older turns trimmed");
}

function recallingModel(): ScriptedChatModel {
  return new ScriptedChatModel(
    stepScript({
      route: [{ route: "direct", reason: "conversation" }],
      answer: [
        (call: ScriptedCall) => {
          const said = call.messages.map((m) => String(m.content)).join("\n");
          const name = /my name is (\w+)/i.exec(said)?.[1];
          return new AIMessage(name ? `Your name is ${name}.` : "I don't know your name.");
        },
      ],
    }),
  );
}

describe("agent graph memory", () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-graph-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("recalls earlier turns of the same thread id, and only of that thread", async () => {
    const model = recallingModel();
    const graph = createAgentGraph({ model, tools: [addTool] });
    await graph.invoke(ask("Hello, my name is Ada."), threadConfig("ada"));
    const same = await graph.invoke(ask("What is my name?"), threadConfig("ada"));
    const other = await graph.invoke(ask("What is my name?"), threadConfig("someone-else"));
    assert.equal(summarizeRun(same).answer, "Your name is Ada.");
    assert.equal(summarizeRun(other).answer, "I don't know your name.");
    assert.deepEqual(
      same.messages.map((m) => m.getType()),
      ["human", "ai", "human", "ai"],
    );
    // Per-turn fields start over each turn.
    assert.deepEqual(
      same.trace.map((s) => s.node),
      ["route", "respond"],
    );
  });

  it("resets rounds and validation at the start of a new turn", async () => {
    const model = new ScriptedChatModel(
      stepScript({
        route: [
          { route: "tools", reason: "math" },
          { route: "direct", reason: "chat" },
        ],
        agent: [callTools({ name: "add", args: { a: 1, b: 1 } }), new AIMessage("2")],
        validate: [
          { grounded: false, complete: false, critique: "c" },
          { grounded: true, complete: true, critique: "" },
        ],
        answer: [new AIMessage("You're welcome.")],
      }),
    );
    const graph = createAgentGraph({ model, tools: [addTool] });
    const first = await graph.invoke(ask("1+1?"), threadConfig("reset"));
    assert.equal(first.toolRounds, 1);
    assert.equal(first.validation?.attempts, 2);
    const second = await graph.invoke(ask("thanks"), threadConfig("reset"));
    assert.equal(second.toolRounds, 0);
    assert.equal(second.validation, null);
    assert.equal(second.routing?.route, "direct");
    assert.equal(summarizeRun(second).toolCalls.length, 0);
    assert.equal(second.metrics.modelCalls, 2, "metrics count this turn only");
  });

  it("honours a system message the caller puts first in the thread", async () => {
    const model = recallingModel();
    const graph = createAgentGraph({ model, tools: [addTool], systemPrompt: "default system" });
    await graph.invoke(
      { messages: [new SystemMessage("caller's system"), new HumanMessage("hi")] },
      threadConfig("own-system"),
    );
    for (const call of model.calls) {
      assert.equal(call.messages[0].content, "caller's system");
      assert.equal(call.messages.filter((m) => m.getType() === "system").length, 1);
    }
  });

  it("trims a long conversation into the context budget, keeping system and latest turn", async () => {
    const model = recallingModel();
    const contextSize = 1024;
    const graph = createAgentGraph({ model, contextSize, systemPrompt: "S" });
    const budget = contextBudget(contextSize);
    const counter = chooseTokenCounter(model);
    assert.equal(counter.kind, "approximate");
    const filler = "lorem ipsum dolor sit amet ".repeat(12);
    await graph.invoke(ask("my name is Grace."), threadConfig("long"));
    for (let turn = 0; turn < 20; turn += 1) {
      await graph.invoke(ask(`Turn ${turn}: ${filler}`), threadConfig("long"));
    }
    const last = await graph.invoke(ask("What is my name?"), threadConfig("long"));
    // The first turn has scrolled out of the window, so the model cannot see it any more.
    assert.equal(summarizeRun(last).answer, "I don't know your name.");
    assert.equal(last.messages.length, 44, "the thread itself keeps every message");
    for (const call of model.calls) {
      assert.ok(
        (await counter.count(call.messages)) <= budget.promptTokens,
        "prompt within budget",
      );
      assert.equal(call.messages[0].content, "S");
      assert.ok(isHumanMessage(call.messages[1]), "the window starts on a whole turn");
    }
    const questions = model.calls.map((c) => c.messages.at(-1)?.content);
    assert.equal(questions.at(-1), "What is my name?", "latest turn kept");
    // The window start moves rarely (cut to 75% of the budget), so most turns share their prefix.
    const starts = new Set(model.calls.map((c) => String(c.messages[1].content)));
    assert.ok(
      starts.size > 1 && starts.size < model.calls.length / 2,
      `window moved ${starts.size} times`,
    );
  });

  it("takes the context size of a node-llama-cpp model when none is given", () => {
    class LocalModel extends ScriptedChatModel {
      readonly contextSize = 2048;
    }
    const local = new LocalModel(stepScript({}), { llmType: "node-llama-cpp" });
    assert.equal(modelContextSize(local), 2048);
    assert.equal(modelContextSize(recallingModel()), undefined);
  });

  it("reads any model's own contextSize (ChatNodeLlamaCpp's too) and trims to it", async () => {
    const chat = new ChatNodeLlamaCpp({ modelPath: "never-loaded.gguf", contextSize: 1024 });
    assert.equal(chat.contextSize, 1024);
    assert.equal(modelContextSize(chat), 1024);
    // Hearth's range applies to what a model declares: larger contexts are planned at 32768.
    class HugeContext extends ScriptedChatModel {
      readonly contextSize = 131_072;
    }
    assert.equal(modelContextSize(new HugeContext(stepScript({}))), 32_768);

    // A model of any provider that says `contextSize = 1024` gets a graph trimming to 1024,
    // without the graph being told.
    class SmallContext extends ScriptedChatModel {
      readonly contextSize = 1024;
    }
    const model = new SmallContext(
      stepScript({
        route: [{ route: "direct", reason: "conversation" }],
        answer: [() => new AIMessage("ok")],
      }),
    );
    await assertTrimsTo(model, 1024, "small");
    assert.ok(contextBudget(1024).promptTokens < contextBudget().promptTokens);
  });

  it("follows a context size the model learns after the graph was built", async () => {
    // ChatNodeLlamaCpp from a file states the size it will ask for until it loads, then the size
    // the file allows: a graph built before the load must trim to the second.
    class LoadsSmaller extends ScriptedChatModel {
      loaded = false;
      get contextSize() {
        return this.loaded ? 1024 : 8192;
      }
    }
    const model = new LoadsSmaller(
      stepScript({
        route: [{ route: "direct", reason: "conversation" }],
        answer: [
          () => {
            model.loaded = true;
            return new AIMessage("ok");
          },
        ],
      }),
    );
    await assertTrimsTo(model, 1024, "loads");
  });

  it("keeps the latest turn even when it alone is over budget", async () => {
    const counter = chooseTokenCounter(recallingModel());
    const huge = new HumanMessage({ id: "h2", content: "x".repeat(10_000) });
    const window = await selectHistory({
      system: new SystemMessage("S"),
      messages: [
        new HumanMessage({ id: "h1", content: "old" }),
        new AIMessage({ id: "a1", content: "reply" }),
        huge,
      ],
      startId: null,
      budget: contextBudget(1024),
      count: counter.count,
    });
    assert.deepEqual(
      window.messages.map((m) => m.id),
      ["h2"],
    );
    assert.equal(window.trimmed, true);
    // The question alone is over budget: it is sent cut, with a marker the model can read.
    const budget = contextBudget(1024);
    assert.ok(window.tokens <= budget.promptTokens, `${window.tokens} tokens sent`);
    const sent = String(window.messages[0].content);
    assert.match(
      sent,
      /characters of this message were cut here to fit the model's 1024-token context/,
    );
    assert.ok(sent.startsWith("xxxx") && sent.endsWith("xxxx"), "start and end kept");
    assert.equal(window.questionCut?.fromTokens, await counter.count([huge]));
    assert.ok((window.questionCut?.toTokens ?? Infinity) < budget.promptTokens);
    assert.equal(huge.content, "x".repeat(10_000), "the original message is untouched");
  });

  it("says in the turn's state when a question was cut, and keeps it whole in the thread", async () => {
    const model = recallingModel();
    const graph = createAgentGraph({ model, contextSize: 1024, systemPrompt: "S" });
    const question = `my name is Ada. ${"lorem ipsum dolor sit amet ".repeat(400)} What is my name?`;
    const state = await graph.invoke(ask(question), threadConfig("cut"));
    assert.equal(state.questionCut?.contextSize, 1024);
    assert.ok(state.questionCut!.fromTokens > state.questionCut!.toTokens);
    // The model saw the start (with the name) and the end of the question, and the marker.
    assert.equal(summarizeRun(state).answer, "Your name is Ada.");
    const sent = String(model.calls.at(-1)!.messages[1].content);
    assert.match(sent, /were cut here/);
    assert.ok(sent.endsWith("What is my name?"));
    assert.equal(state.messages[0].content, question, "the thread keeps the question whole");
    const next = await graph.invoke(ask("thanks"), threadConfig("cut"));
    assert.equal(next.questionCut, null, "a later turn that fits says nothing");
  });

  it("refuses a context the tool definitions leave no room in, naming the size to use", () => {
    const wordy = tool(async () => "", {
      name: "wordy",
      description: "d ".repeat(600),
      schema: z.object({ a: z.string().describe("x ".repeat(300)) }),
    });
    assert.throws(
      () => createAgentGraph({ model: recallingModel(), tools: [wordy], contextSize: 512 }),
      (error: unknown) =>
        error instanceof RangeError &&
        /The tool definitions take about \d+ tokens/.test(error.message) &&
        /Use contextSize 2048 or more, or bind fewer tools/.test(error.message),
    );
    assert.doesNotThrow(() =>
      createAgentGraph({ model: recallingModel(), tools: [wordy], contextSize: 2048 }),
    );
  });

  it("counts with the model's own tokenizer when it has one", async () => {
    class WordTokenizerModel extends ScriptedChatModel {
      override async getNumTokens(text: string): Promise<number> {
        return text.split(/\s+/).filter(Boolean).length;
      }
    }
    const counter = chooseTokenCounter(new WordTokenizerModel(stepScript({})));
    assert.equal(counter.kind, "model");
    assert.equal(await counter.count([new HumanMessage("one two three")]), 3 + 4);
    assert.equal(approximateTokens("abcdef"), 2);
  });

  it("keeps a thread in SQLite across a new graph instance on the same file", async () => {
    const file = join(dir, "threads.sqlite");
    const first = createAgentGraph({
      model: recallingModel(),
      checkpointer: await openCheckpointer(file),
    });
    await first.invoke(ask("my name is Linus."), threadConfig("persisted"));

    const model = recallingModel();
    const second = createAgentGraph({ model, checkpointer: await openCheckpointer(file) });
    const snapshot = await second.getState(threadConfig("persisted"));
    assert.equal(snapshot.values.messages.length, 2);
    const state = await second.invoke(ask("What is my name?"), threadConfig("persisted"));
    assert.equal(summarizeRun(state).answer, "Your name is Linus.");
    assert.equal(state.messages.length, 4);
  });

  it("uses memory when no file is given", async () => {
    const saver = await openCheckpointer();
    assert.equal(saver.constructor.name, "MemorySaver");
  });
});
