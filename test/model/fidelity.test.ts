import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { HumanMessage } from "@langchain/core/messages";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
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
