import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { type AIMessageChunk, HumanMessage } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import { ChatNodeLlamaCpp, OutputBudgetError } from "../../src/models/chat/index.js";
import { compileTools } from "../../src/tools/index.js";
import {
  compareFamily,
  FIDELITY_TOOLS,
  formatComparison,
  lineDiff,
  renderTemplate,
  scenarios,
  strftime,
} from "../helpers/fidelity.js";
import {
  REAL_TEMPLATE_FAMILIES,
  realTemplateFamily,
  realTemplateModelPath,
} from "../helpers/real-templates.js";
import { testModelPath } from "../helpers/test-models.js";

/**
 * Fidelity against real chat templates: for each family, Hearth's prompt (the tokens llama.cpp
 * evaluated) against the model's own template rendered by @huggingface/jinja. Every difference
 * is recorded in test/fixtures/fidelity/<family>.diff; the test fails when a rendering changes,
 * so a fix shows up as a smaller recorded diff and a regression as a failure.
 * `HEARTH_UPDATE_FIDELITY=1` rewrites the records.
 */

const recordDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../fixtures/fidelity",
);
const update = process.env.HEARTH_UPDATE_FIDELITY === "1";
const chats: ChatNodeLlamaCpp[] = [];
after(async () => {
  for (const chat of chats) await chat.dispose();
});

describe("fidelity harness", () => {
  it("renders a template as transformers does (Qwen3 official enable_thinking=false form)", () => {
    const family = realTemplateFamily("qwen3");
    const plain = scenarios({ parallel: true })[0];
    const text = renderTemplate(family, plain.turns, { tools: false });
    assert.ok(text.startsWith("<|im_start|>system\nYou are a travel assistant."), text);
    assert.ok(text.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), text);
    const thinking = renderTemplate(family, plain.turns, { tools: false, enableThinking: true });
    assert.ok(thinking.endsWith("<|im_start|>assistant\n"), thinking);
  });

  it("renders tools, parallel calls and results per the template (Qwen3: raw results, user's schema)", () => {
    const family = realTemplateFamily("qwen3");
    const withTools = scenarios({ parallel: true })[1];
    const text = renderTemplate(family, withTools.turns, { tools: true });
    assert.match(text, /"required": \["city"\]/);
    assert.match(text, /<tool_response>\nSunny, 18 °C\n<\/tool_response>/);
    assert.match(
      text,
      /<tool_call>\n\{"name": "get_weather", "arguments": \{"city": "Berlin", "unit": "fahrenheit"\}\}\n<\/tool_call>\n<tool_call>/,
    );
  });

  it("diffs by line, template lines as - and Hearth's as +", () => {
    assert.equal(lineDiff("a\nb\nc", "a\nb\nc"), "");
    assert.equal(lineDiff("a\nb\nc\nd\ne", "a\nB\nc\nd\ne"), "  a\n+ B\n- b\n  c\n  …");
  });

  it("formats dates as transformers' strftime_now", () => {
    assert.equal(strftime(new Date(2024, 6, 26), "%d %b %Y"), "26 Jul 2024");
    assert.equal(strftime(new Date(2025, 0, 5), "%d %B %Y"), "05 January 2025");
  });
});

describe("prompts against the models' own chat templates", () => {
  const now = new Date();
  for (const family of REAL_TEMPLATE_FAMILIES) {
    it(`${family.label}: differences are exactly the recorded ones`, async () => {
      const chat = new ChatNodeLlamaCpp({
        modelPath: await realTemplateModelPath(family),
        contextSize: 4096,
      });
      chats.push(chat);
      const results = await compareFamily(family, chat, now);
      const recorded = formatComparison(family, results);
      const file = path.join(recordDir, `${family.id}.diff`);
      if (update) {
        mkdirSync(recordDir, { recursive: true });
        writeFileSync(file, recorded);
        return;
      }
      let expected: string;
      try {
        expected = readFileSync(file, "utf8");
      } catch {
        assert.fail(`No record ${file}: run with HEARTH_UPDATE_FIDELITY=1 and review it.`);
      }
      assert.equal(
        recorded,
        expected,
        `${family.label}: Hearth's prompt changed against the template. If intended, rerun with HEARTH_UPDATE_FIDELITY=1 and review test/fixtures/fidelity/${family.id}.diff.`,
      );
    });
  }
});

describe("forced calls are written in the model's own call syntax", () => {
  const cases: Array<{ id: string; opening: string }> = [
    {
      id: "qwen3",
      opening:
        '<|im_start|>assistant\n<think>\n\n</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "',
    },
    {
      id: "qwen2.5",
      opening:
        '<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "',
    },
    {
      id: "llama3.1",
      opening:
        '<|start_header_id|>assistant<|end_header_id|>\n\n{"name": "get_weather", "parameters": {"city": "',
    },
    {
      id: "mistral-nemo",
      opening: '[/INST][TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "',
    },
    {
      // The space Mistral 7B v0.3's template writes after the token.
      id: "mistral-v0.3",
      opening: '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "',
    },
    {
      // The template's order (its instructions and the calls it renders): arguments, then name.
      id: "hermes2-pro",
      opening: '<|im_start|>assistant\n<tool_call>\n{"arguments": {"city": "',
    },
  ];
  for (const { id, opening } of cases) {
    const family = realTemplateFamily(id);
    it(`${family.label}: the call opens as the template writes calls, and parses`, async () => {
      const chat = new ChatNodeLlamaCpp({
        modelPath: await realTemplateModelPath(family),
        contextSize: 4096,
      });
      chats.push(chat);
      const reply = await chat
        .bindTools(FIDELITY_TOOLS, { tool_choice: "get_weather" })
        .invoke([new HumanMessage("Weather in Paris?")], { maxTokens: 200 } as never);
      const runtime = await chat.ensureLoaded();
      const evaluated = runtime.model.detokenize(runtime.pool.all[0].contextTokens, true);
      assert.ok(
        evaluated.includes(opening),
        JSON.stringify(
          evaluated.slice(
            evaluated.lastIndexOf("assistant") - 40,
            evaluated.lastIndexOf("assistant") + 120,
          ),
        ),
      );
      assert.deepEqual(reply.invalid_tool_calls, []);
      assert.equal(reply.tool_calls?.[0]?.name, "get_weather");
      assert.equal(typeof reply.tool_calls?.[0]?.args.city, "string");
    });
  }
});

describe("the renderer a call used, and the template's thinking switch", () => {
  it('Qwen3: promptFormat says "model template"; thinking on drops the empty think block', async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await realTemplateModelPath(realTemplateFamily("qwen3")),
      contextSize: 4096,
    });
    chats.push(chat);
    const runtime = await chat.ensureLoaded();
    const evaluated = () => runtime.model.detokenize(runtime.pool.all[0].contextTokens, true);
    const off = await chat.invoke([new HumanMessage("Hi")], { maxTokens: 1 } as never);
    assert.equal(off.response_metadata.promptFormat, "model template");
    assert.ok(evaluated().endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), evaluated());
    await chat.invoke([new HumanMessage("Hi")], { maxTokens: 1, thinking: "on" } as never);
    assert.ok(
      evaluated().endsWith("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"),
      evaluated(),
    );
  });

  it('a generated model that names its wrapper keeps it: promptFormat "given"', async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await testModelPath({ family: "qwen" }),
      contextSize: 2048,
    });
    chats.push(chat);
    const reply = await chat.invoke([new HumanMessage("Hi")], { maxTokens: 1 } as never);
    assert.equal(reply.response_metadata.promptFormat, "given");
  });
});

describe("Hermes 2 Pro: forced calls in the template's order, over several tools and small budgets", () => {
  it('tool_choice "required": the arguments first, the name after them, valid within maxTokens', async () => {
    const chat = new ChatNodeLlamaCpp({
      modelPath: await realTemplateModelPath(realTemplateFamily("hermes2-pro")),
      contextSize: 4096,
    });
    chats.push(chat);
    const runtime = await chat.ensureLoaded();
    const bound = chat.bindTools(FIDELITY_TOOLS, { tool_choice: "required" });
    const compiled = compileTools(FIDELITY_TOOLS);
    let minimum = 0;
    await assert.rejects(
      bound.invoke([new HumanMessage("Weather?")], { maxTokens: 8 } as never),
      (error: unknown) => {
        minimum = error instanceof OutputBudgetError ? error.minimumTokens : 0;
        return minimum > 8;
      },
    );
    let closed = 0;
    const names = new Set<string>();
    for (const maxTokens of [0, 2, 6, 20, 30, 40, 150].map((extra) => minimum + extra)) {
      for (const seed of [1, 2]) {
        const options = { maxTokens, seed, temperature: 1 } as never;
        const question = [new HumanMessage("Weather in Paris, or a flight to Rome?")];
        const reply = await bound.invoke(question, options);
        const where = `maxTokens ${maxTokens}, seed ${seed}`;
        const sequence = runtime.pool.all[Number(reply.response_metadata.sequence)];
        const evaluated = runtime.model.detokenize(sequence.contextTokens, true);
        // What was evaluated before sampling opens as the template writes calls (at the bare
        // minimum nothing is sampled, so nothing is evaluated).
        if (Number(reply.response_metadata.sampledTokens) > 0)
          assert.ok(
            evaluated.includes('<|im_start|>assistant\n<tool_call>\n{"arguments": {'),
            `${where}: ${JSON.stringify(evaluated.slice(-120))}`,
          );
        assert.deepEqual(reply.invalid_tool_calls, [], where);
        const call = reply.tool_calls?.[0];
        assert.ok(call, where);
        names.add(call.name);
        assert.ok(
          compiled.get(call.name)?.validate(call.args).ok,
          `${where}: ${JSON.stringify(call)}`,
        );
        const metadata = reply.response_metadata;
        assert.ok((reply.usage_metadata?.output_tokens ?? Infinity) <= maxTokens, where);
        if (metadata.closedAtBudget) {
          assert.equal(metadata.stopReason, "maxTokens", where);
          closed++;
        }
        // The stream carries the same call (its arguments come before its name).
        let aggregate: AIMessageChunk | undefined;
        for await (const chunk of await bound.stream(question, options))
          aggregate = aggregate ? concat(aggregate, chunk) : chunk;
        assert.deepEqual(
          aggregate?.tool_calls?.map((streamed) => [streamed.name, streamed.args]),
          [[call.name, call.args]],
          where,
        );
      }
    }
    assert.ok(closed > 0, "small budgets closed some calls");
  });
});

describe('tool_choice "auto" on the families whose calls are read from the text: stream equals invoke', () => {
  for (const id of [
    "hermes2-pro",
    "mistral-v0.3",
    "mistral-nemo",
    "llama3.1",
    "llama3.2",
    "chatml",
  ]) {
    const family = realTemplateFamily(id);
    it(`${family.label}: same content and tool calls, greedy and sampled`, async () => {
      const chat = new ChatNodeLlamaCpp({
        modelPath: await realTemplateModelPath(family),
        contextSize: 4096,
      });
      chats.push(chat);
      const bound = chat.bindTools(FIDELITY_TOOLS);
      for (const options of [
        { maxTokens: 24, temperature: 0 },
        { maxTokens: 24, temperature: 1, seed: 7 },
      ]) {
        const question = [new HumanMessage("Weather in Paris?")];
        const invoked = await bound.invoke(question, options as never);
        let aggregate: AIMessageChunk | undefined;
        for await (const chunk of await bound.stream(question, options as never))
          aggregate = aggregate ? concat(aggregate, chunk) : chunk;
        assert.equal(aggregate?.content, invoked.content, JSON.stringify(options));
        assert.deepEqual(
          aggregate?.tool_calls?.map((call) => [call.name, call.args]),
          invoked.tool_calls?.map((call) => [call.name, call.args]),
        );
      }
    });
  }
});
