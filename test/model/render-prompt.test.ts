import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import type { ChatNodeLlamaCppCallOptions } from "../../src/models/chat/options.js";
import { builtinTools } from "../../src/tools/index.js";
import { microTemplateModelPath } from "../helpers/micro-template-model.js";

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../examples/docs");

/**
 * renderPrompt against the sequence: after a real greedy call, the context sequence holds the
 * prompt the call evaluated followed by its output, so the rendered tokens must be its prefix.
 */
describe("ChatNodeLlamaCpp.renderPrompt", () => {
  let chat: ChatNodeLlamaCpp;
  let tools: StructuredToolInterface[];
  const messages: BaseMessage[] = [
    new SystemMessage("You are a test assistant."),
    new HumanMessage("What is 17 * 23?"),
  ];

  before(async () => {
    chat = new ChatNodeLlamaCpp({ modelPath: await microTemplateModelPath(), contextSize: 4096 });
    tools = builtinTools({ docsFolder: docs });
  });
  after(async () => {
    await chat.dispose();
  });

  async function heldTokens(): Promise<number[]> {
    const runtime = await chat.ensureLoaded();
    assert.equal(runtime.pool.all.length, 1);
    return [...runtime.pool.all[0].contextTokens];
  }

  async function check(
    options: Partial<ChatNodeLlamaCppCallOptions>,
    decoding: string,
    conversation: BaseMessage[] = messages,
  ) {
    const rendered = await chat.renderPrompt(conversation, options);
    assert.equal(rendered.decoding, decoding);
    assert.ok(rendered.text.endsWith("<|im_start|>assistant\n"), rendered.text.slice(-80));
    assert.ok(rendered.text.startsWith("<|im_start|>system\nYou are a test assistant."));
    await chat.invoke(conversation, options as ChatNodeLlamaCppCallOptions);
    const held = await heldTokens();
    assert.ok(held.length > rendered.tokens.length, "the call generated after its prompt");
    assert.deepEqual(held.slice(0, rendered.tokens.length), rendered.tokens);
    return { rendered, held };
  }

  it("a plain call: the template's prompt, decoded by LlamaChat", async () => {
    const { rendered } = await check({ maxTokens: 3 }, "llama-chat");
    assert.doesNotMatch(rendered.text, /calculator/);
  });

  it("a structured call with tools: tool docs in the prompt, output under a grammar", async () => {
    const { rendered } = await check(
      {
        // Room for the shortest complete output and a few sampled tokens (less is refused).
        maxTokens: 24,
        tools,
        response_format: {
          type: "json_schema",
          name: "route_decision",
          schema: {
            type: "object",
            properties: { route: { type: "string", enum: ["direct", "tools"] } },
            required: ["route"],
          },
        },
      },
      "grammar",
    );
    assert.match(rendered.text, /"name": "calculator"/);
  });

  it("a forced call: the prompt stops before the envelope the call writes", async () => {
    const { rendered, held } = await check(
      { maxTokens: 80, tools, tool_choice: "required" },
      "jump-forward",
    );
    assert.match(rendered.text, /search_documents/);
    const runtime = await chat.ensureLoaded();
    const output = runtime.model.detokenize(held.slice(rendered.tokens.length) as never, true);
    assert.ok(output.startsWith('<tool_call>\n{"name": "'), output);
  });

  it('an "auto" call with tools: functions documented as LlamaChat renders them', async () => {
    const { rendered } = await check({ maxTokens: 3, tools, tool_choice: "auto" }, "llama-chat");
    assert.match(rendered.text, /<tools>/);
    // The same question rendered with and without tools differs only in the system block.
    const plain = await chat.renderPrompt(messages, {});
    assert.ok(rendered.tokens.length > plain.tokens.length);
  });

  it('an "auto" call after a tool result: the model continues the turn that made the call', async () => {
    const afterResult: BaseMessage[] = [
      ...messages,
      new AIMessage({
        content: "",
        tool_calls: [{ id: "call-1", name: "calculator", args: { expression: "17 * 23" } }],
      }),
      new ToolMessage({ tool_call_id: "call-1", name: "calculator", content: "391" }),
    ];
    const { rendered } = await check(
      { maxTokens: 3, tools, tool_choice: "auto" },
      "llama-chat",
      afterResult,
    );
    assert.match(
      rendered.text,
      /<tool_response>\n391\n<\/tool_response><\|im_end\|>\n<\|im_start\|>assistant\n$/,
    );
  });

  it("says a forced call that leaves no room for its budget is decoded under its grammar instead", async () => {
    const roomy = await chat.renderPrompt(messages, {
      tools,
      tool_choice: "required",
      maxTokens: 64,
    });
    assert.equal(roomy.decoding, "jump-forward");
    const cramped = await chat.renderPrompt(messages, {
      tools,
      tool_choice: "required",
      maxTokens: 4096 - roomy.tokens.length + 1,
    });
    assert.equal(cramped.decoding, "grammar");
    assert.deepEqual(cramped.tokens, roomy.tokens);
  });
});
