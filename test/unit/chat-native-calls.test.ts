import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AIMessageChunk } from "@langchain/core/messages";
import { concat } from "@langchain/core/utils/stream";
import type { CallPlan } from "../../src/models/chat/call-plan.js";
import type { Generation } from "../../src/models/chat/generate.js";
import { interpretGeneration } from "../../src/models/chat/interpret.js";
import { NativeCallTextHold } from "../../src/models/chat/native-call-hold.js";
import { parseNativeCalls } from "../../src/models/chat/native-calls.js";
import { type GenerationSink, streamCall } from "../../src/models/chat/stream.js";
import { type CompiledToolSet, compileTools } from "../../src/tools/index.js";

const TOOLS = ["get_weather", "search_flights"];
const ONE = { name: "get_weather", args: { city: "Paris", unit: "celsius" } };
const TWO = { name: "search_flights", args: { origin: "Berlin", destination: "Rome" } };

/**
 * The call forms each family's template teaches (test/fixtures/chat-templates), as a model
 * writes them: with the template's spacing and without it. README's "native forms parsed"
 * table lists these rows.
 */
const FORMS: Array<{
  family: string;
  form: string;
  text: string;
  calls: Array<{ name: string; args: Record<string, string> }>;
}> = [
  {
    family: "Qwen3, Qwen2.5",
    form: "<tool_call>",
    text: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>',
    calls: [ONE],
  },
  {
    family: "Qwen3, Qwen2.5",
    form: "<tool_call> ×2 (parallel), no spaces",
    text: '<tool_call>{"name":"get_weather","arguments":{"city":"Paris","unit":"celsius"}}</tool_call><tool_call>{"name":"search_flights","arguments":{"origin":"Berlin","destination":"Rome"}}</tool_call>',
    calls: [ONE, TWO],
  },
  {
    family: "Qwen3",
    form: "<tool_call> after a think block",
    text: '<think>\nThe user wants weather.\n</think>\n\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>',
    calls: [ONE],
  },
  {
    family: "Hermes 2 Pro",
    form: "<tool_call> arguments first",
    text: '<tool_call>\n{"arguments": {"city": "Paris", "unit": "celsius"}, "name": "get_weather"}\n</tool_call> ',
    calls: [ONE],
  },
  {
    family: "Llama 3.1, 3.2",
    form: '{"name", "parameters"}',
    text: '{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}',
    calls: [ONE],
  },
  {
    family: "Llama 3.1",
    form: "<|python_tag|>",
    text: '<|python_tag|>{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}',
    calls: [ONE],
  },
  {
    family: "Mistral 7B v0.3",
    form: "[TOOL_CALLS] [...] with ids",
    text: '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}, "id": "a1b2c3d4e"}, {"name": "search_flights", "arguments": {"origin": "Berlin", "destination": "Rome"}, "id": "f5g6h7i8j"}]',
    calls: [ONE, TWO],
  },
  {
    family: "Mistral Nemo",
    form: "[TOOL_CALLS][...] no space",
    text: '[TOOL_CALLS][{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}, "id": "a1b2c3d4e"}]',
    calls: [ONE],
  },
  {
    family: "Mistral (control token not shown)",
    form: "[...] bare list",
    text: ' [{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}]',
    calls: [ONE],
  },
  {
    family: "node-llama-cpp Llama 3.1 wrapper",
    form: "<function=name>",
    text: '<function=get_weather>{"city": "Paris", "unit": "celsius"}</function>',
    calls: [ONE],
  },
];

/** A call planned under tool_choice "auto" over these tools. */
function autoPlan(tools: CompiledToolSet): CallPlan {
  return { history: [], fingerprint: [], tools, functions: tools.functions, documentOnly: false };
}

/** A finished LlamaChat generation of `text` (tool_choice "auto", nothing detected while generating). */
function generationOf(text: string): Generation {
  return {
    text,
    thoughts: "",
    functionCalls: [],
    stopReason: "eogToken",
    closedAtBudget: false,
    decoding: "llama-chat",
    sequence: 0,
    promptTokens: 10,
    evaluatedPromptTokens: 10,
    outputTokens: 20,
    sampledTokens: 20,
    fedTokens: 0,
    promptFormat: "model template",
    timings: { queueMs: 0, totalMs: 1 },
  };
}

describe("native tool-call forms parse under tool_choice auto", () => {
  for (const { family, form, text, calls } of FORMS) {
    it(`${family}: ${form}`, () => {
      const found = parseNativeCalls(text, TOOLS);
      assert.ok(found, `not parsed: ${text}`);
      assert.deepEqual(
        found.calls.map((call) => ({ name: call.name, args: call.args })),
        calls,
      );
    });
  }

  it("keeps what the model said before the call as content", () => {
    const found = parseNativeCalls(
      'Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>',
      TOOLS,
    );
    assert.equal(found?.content, "Let me check.");
  });

  it("an answer that is only JSON, prose, or a broken call is not a call", () => {
    assert.equal(parseNativeCalls('{"name": "Alice", "parameters": {}}', TOOLS), undefined);
    assert.equal(parseNativeCalls('{"temperature": 18}', TOOLS), undefined);
    assert.equal(parseNativeCalls("It is sunny in Paris.", TOOLS), undefined);
    assert.equal(parseNativeCalls('<tool_call>\n{"name": "get_weather", "argu', TOOLS), undefined);
  });

  it('a reply under tool_choice "auto" holding a native call becomes tool_calls, validated against the tool', () => {
    const tools = compileTools([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather",
          parameters: {
            type: "object",
            properties: {
              city: { type: "string" },
              unit: { type: "string", enum: ["celsius", "fahrenheit"] },
            },
            required: ["city"],
          },
        },
      },
    ]);
    const plan = autoPlan(tools);
    const generation = generationOf(
      'Checking.\n[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Oslo"}, "id": "a1b2c3d4e"}]',
    );
    const result = interpretGeneration(generation, plan, "model.gguf");
    assert.equal(result.text, "Checking.");
    assert.equal(result.toolCalls.length, 1);
    assert.equal(result.toolCalls[0].name, "get_weather");
    assert.deepEqual(result.toolCalls[0].args, { city: "Oslo" });
    assert.equal(result.metadata.finish_reason, "tool_calls");
    assert.equal(result.metadata.promptFormat, "model template");
    // Without bound functions (a plain reply) the same text stays text.
    const plain = interpretGeneration(generation, { ...plan, functions: undefined }, "model.gguf");
    assert.equal(plain.toolCalls.length, 0);
    assert.equal(plain.text, generation.text);
  });
});

describe('streamed under tool_choice "auto": the aggregated stream equals invoke for calls read from the text', () => {
  const tools = compileTools(
    [
      { name: "get_weather", keys: ["city", "unit"] },
      { name: "search_flights", keys: ["origin", "destination"] },
    ].map(({ name, keys }) => ({
      type: "function" as const,
      function: {
        name,
        description: name,
        parameters: {
          type: "object",
          properties: Object.fromEntries(keys.map((key) => [key, { type: "string" }])),
          required: keys,
        },
      },
    })),
  );
  const plan = autoPlan(tools);

  /** Streams `text` in pieces of `size` characters through the hold, as generate() does. */
  async function streamed(text: string, size: number): Promise<AIMessageChunk> {
    const run = async (sink: GenerationSink) => {
      const hold = new NativeCallTextHold();
      for (let at = 0; at < text.length; at += size) {
        const sendable = hold.push(text.slice(at, at + size));
        if (sendable) sink.onText(sendable);
      }
      return interpretGeneration(generationOf(text), plan, "model.gguf");
    };
    let aggregate: AIMessageChunk | undefined;
    for await (const chunk of streamCall(run, undefined, { id: "run-1", streamUsage: true })) {
      const message = chunk.message as AIMessageChunk;
      aggregate = aggregate ? concat(aggregate, message) : message;
    }
    return aggregate!;
  }

  const before = ["", "Let me check.\n", "  Checking the weather [now] <b>for</b> you: "];
  const after = ["", "\n", " Done."];
  for (const { family, form, text } of FORMS) {
    it(`${family}: ${form}`, async () => {
      for (const prefix of before) {
        for (const suffix of after) {
          const whole = `${prefix}${text}${suffix}`;
          const invoked = interpretGeneration(generationOf(whole), plan, "model.gguf");
          for (const size of [1, 3, 7, whole.length]) {
            const aggregate = await streamed(whole, size);
            const where = `${JSON.stringify(whole)} in pieces of ${size}`;
            assert.equal(aggregate.content, invoked.text, where);
            assert.deepEqual(
              aggregate.tool_calls?.map((call) => [call.name, call.args]),
              invoked.toolCalls.map((call) => [call.name, call.args]),
              where,
            );
          }
        }
      }
    });
  }

  it("a reply without a call streams as it comes, up to the space before a possible tag", () => {
    const hold = new NativeCallTextHold();
    assert.equal(hold.push("It is sunny"), "It is sunny");
    assert.equal(hold.push(" in Paris. <tool"), " in Paris.");
    assert.equal(hold.push("_call>{"), "");
    const json = new NativeCallTextHold();
    assert.equal(json.push(' {"name": "get_weather"'), "");
  });
});
