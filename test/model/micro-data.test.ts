import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  LlamaGrammarEvaluationState,
  type LlamaModel,
  type Token,
  TokenBias,
} from "node-llama-cpp";
import { planEpisodes } from "../../src/micro/data/episodes.js";
import { type EpisodeExample, EpisodeRunner } from "../../src/micro/data/run-episodes.js";
import { forcedCallTarget } from "../../src/micro/data/targets.js";
import { writeDataset } from "../../src/micro/data/write-dataset.js";
import { planCall } from "../../src/models/chat/call-plan.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { callEnvelope, jumpForwardToolCall } from "../../src/models/chat/jump-forward.js";
import { callChatWrapper } from "../../src/models/chat/render-prompt.js";
import { microTemplateModelPath } from "../helpers/micro-template-model.js";

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../examples/docs");
const STEPS = new Set(["route", "call", "answer", "verdict", "direct", "retry"]);

describe("micro data: the dataset file", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "hearth-micro-data-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes prefix lines once and examples whose prompt is prefix ++ suffix, with rejecting verdicts among them", async () => {
    const out = path.join(dir, "train.jsonl");
    const textOut = path.join(dir, "corpus.txt");
    const stats = await writeDataset({
      tokenizer: await microTemplateModelPath(),
      split: "heldout",
      seed: 3,
      episodes: 16,
      out,
      textOut,
      docsFolder: DOCS,
    });
    const lines = (await readFile(out, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const prefixes = new Map<number, number[]>();
    let examples = 0;
    for (const line of lines) {
      if (line.kind === "prefix") {
        assert.deepEqual(Object.keys(line), ["kind", "id", "tokens"]);
        assert.ok(!prefixes.has(line.id as number), "each prefix once");
        prefixes.set(line.id as number, line.tokens as number[]);
        continue;
      }
      examples++;
      assert.deepEqual(Object.keys(line), ["kind", "prefix", "suffix", "target", "step", "split"]);
      assert.equal(line.kind, "example");
      assert.ok(prefixes.has(line.prefix as number), "the prefix comes before its examples");
      assert.ok(STEPS.has(line.step as string), String(line.step));
      assert.equal(line.split, "heldout");
      for (const list of [line.suffix, line.target] as number[][]) {
        assert.ok(list.length > 0 && list.every((token) => Number.isInteger(token) && token >= 0));
      }
    }
    assert.equal(examples, stats.examples);
    assert.equal(prefixes.size, stats.prefixes);
    assert.ok(stats.negativeVerdicts > 0, JSON.stringify(stats));
    assert.ok(stats.steps.retry === stats.negativeVerdicts, JSON.stringify(stats.steps));
    // The shared prefix is the system block with the tool docs: most of each prompt.
    assert.ok(stats.mean.prefix > stats.mean.suffix, JSON.stringify(stats.mean));
    const corpus = await readFile(textOut, "utf8");
    assert.match(corpus, /<\|im_start\|>system\n/);
    assert.match(corpus, /<tool_call>\n\{"name": "/);
    assert.match(corpus, /"grounded": false/);
  });
});

describe("micro data: prompts and targets against the real chat path", () => {
  let runner: EpisodeRunner;
  let chat: ChatNodeLlamaCpp;
  let model: LlamaModel;
  const examples: EpisodeExample[] = [];
  const episodes = planEpisodes({ split: "train", seed: 11, count: 14 });

  before(async () => {
    const modelPath = await microTemplateModelPath();
    runner = new EpisodeRunner({ modelPath, docsFolder: DOCS, keepCalls: true });
    for (const episode of episodes) examples.push(...(await runner.run(episode)));
    chat = new ChatNodeLlamaCpp({ modelPath, contextSize: 8192 });
    model = (await chat.ensureLoaded()).model;
  });
  after(async () => {
    await runner?.dispose();
    await chat?.dispose();
  });

  it("covers every step, and the graph takes the oracle's outputs as the real model's", () => {
    assert.deepEqual(new Set(examples.map((example) => example.step)), STEPS);
    // Per turn, the graph's path shows how it read each output: a rejecting verdict is
    // followed by a retry, a passing one ends the turn, a direct route answers at once.
    const paths = new Set<string>();
    let current: string[] = [];
    for (const example of examples) {
      if (example.step === "route" && current.length > 0) {
        paths.add(current.join(" "));
        current = [];
      }
      current.push(example.step);
    }
    paths.add(current.join(" "));
    assert.deepEqual(
      [...paths].sort(),
      [
        "route call answer verdict",
        "route call answer verdict retry verdict",
        "route direct",
      ].sort(),
    );
  });

  it("records exactly the tokens renderPrompt gives for the same messages and options", async () => {
    for (const example of examples) {
      assert.ok(example.call, "keepCalls kept the call");
      const rendered = await chat.renderPrompt(example.call.messages, example.call.options);
      assert.deepEqual(rendered.tokens, example.prompt, `${example.episode} ${example.step}`);
      assert.equal(rendered.text, example.promptText);
    }
  });

  it("writes free text and calls as the template renders them back in the next prompt", () => {
    for (const [index, example] of examples.entries()) {
      const next = examples[index + 1];
      if (!next || next.episode !== example.episode || next.step === "route") continue;
      if (example.step === "answer" || example.step === "retry") {
        assert.ok(example.targetText.endsWith("<|im_end|>"), example.targetText);
        assert.ok(next.promptText.includes(example.targetText), example.targetText);
      }
      if (example.step === "call" && !example.targetText.includes("search_documents")) {
        // search_documents' left-out `k` is written null, then dropped before the tool runs.
        assert.ok(next.promptText.includes(example.targetText), example.targetText);
      }
    }
  });

  it("writes a forced call's fixed text as jump-forward does, for the values the real model sampled", async () => {
    const runtime = await chat.ensureLoaded();
    const sequence = runtime.pool.all[0];
    let checked = 0;
    for (const example of examples.filter((item) => item.step === "call").slice(0, 3)) {
      const call = example.call!;
      const plan = await planCall(call.messages, call.options, runtime.llama, {
        jumpForward: true,
      });
      const wrapper = callChatWrapper(runtime, plan, "off");
      await sequence.clearHistory();
      const jumped = await jumpForwardToolCall({
        llama: runtime.llama,
        model,
        sequence,
        chatWrapper: wrapper,
        history: plan.history,
        tools: plan.tools!,
        maxTokens: 80,
      });
      const sampled = JSON.parse(jumped.text) as {
        name: string;
        arguments: Record<string, unknown>;
      };
      const chosen = plan.tools!.tools.find((tool) => tool.modelName === sampled.name)!;
      const oracle = forcedCallTarget(
        model,
        callEnvelope(wrapper),
        plan.tools!.tools,
        chosen,
        sampled.arguments,
      );
      assert.equal(oracle.call, jumped.text);
      // The tokens fed before the first sampled value are the oracle's too.
      const held = [...sequence.contextTokens].slice(example.prompt.length);
      const opening = model.tokenize('<tool_call>\n{"name": ', true, "trimLeadingSpace");
      assert.deepEqual(held.slice(0, opening.length), [...opening]);
      assert.deepEqual(oracle.target.tokens.slice(0, opening.length), [...opening]);
      checked++;
    }
    assert.equal(checked, 3);
  });

  it("writes structured outputs that the call's own grammar accepts token by token", async () => {
    const runtime = await chat.ensureLoaded();
    const sequence = runtime.pool.all[0];
    const structured = [
      ...examples.filter((item) => item.step === "route").slice(0, 2),
      ...examples
        .filter((item) => item.step === "verdict" && item.targetText.includes("false"))
        .slice(0, 1),
      ...examples
        .filter(
          (item) => item.step === "verdict" && item.targetText.includes('true, "complete": true'),
        )
        .slice(0, 1),
    ];
    assert.equal(structured.length, 4);
    for (const example of structured) {
      const call = example.call!;
      const plan = await planCall(call.messages, call.options, runtime.llama, {
        jumpForward: true,
      });
      assert.ok(plan.outputGrammar);
      await sequence.clearHistory();
      const state = new LlamaGrammarEvaluationState({ model, grammar: plan.outputGrammar });
      const produced: Token[] = [];
      // The oracle's next token gets a large bias; the grammar still masks what it forbids.
      const bias = () =>
        new TokenBias(model.tokenizer).set(
          (example.target[produced.length] ?? model.tokenize("\n")[0]) as Token,
          { logit: 1000 },
        );
      for await (const token of sequence.evaluate(example.prompt as Token[], {
        temperature: 0,
        grammarEvaluationState: state,
        tokenBias: bias,
      })) {
        produced.push(token);
        if (produced.length > example.target.length) break;
      }
      assert.deepEqual(
        produced.slice(0, example.target.length),
        example.target,
        example.targetText,
      );
      // After the JSON the grammar allows only its closing newlines.
      assert.match(model.detokenize(produced.slice(example.target.length)), /^\n+$/);
    }
  });
});
