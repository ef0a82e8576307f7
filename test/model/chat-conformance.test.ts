/**
 * LangChain.js's standard chat-model tests, run against ChatNodeLlamaCpp on generated models.
 *
 * Ported from langchain-ai/langchainjs, `internal/standard-tests/src/unit_tests/chat_models.ts` and
 * `internal/standard-tests/src/integration_tests/chat_models.ts` (with `src/utils.ts`'s
 * TestCallbackHandler), at commit 62fc484b2a; the per-provider overrides follow
 * `libs/providers/langchain-ollama/src/tests/chat_models.standard{,.int}.test.ts`.
 * Copyright (c) LangChain, Inc. Released under the MIT License
 * (https://github.com/langchain-ai/langchainjs/blob/main/LICENSE).
 *
 * Only the tests and their assertions are ported, with `expect(...)` written as node:assert. The
 * model has random weights, so every integration test runs with `tool_choice: "any"` (a forced
 * call) where tools are bound; tests whose assertions need a trained model (the right argument
 * values, a text answer after a tool result) are skipped with that reason, and the image, audio
 * and file content-block tests do not apply to a text-only GGUF model (they are checked to be
 * refused instead).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  getBufferString,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { RunnableLambda } from "@langchain/core/runnables";
import { StructuredTool, type StructuredToolParams } from "@langchain/core/tools";
import type { StreamEvent } from "@langchain/core/tracers/log_stream";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { concat } from "@langchain/core/utils/stream";
import { z } from "zod/v3";
import { ChatNodeLlamaCpp, type ChatNodeLlamaCppCallOptions } from "../../src/models/chat/index.js";
import { testModelPath } from "../helpers/test-models.js";

const NEEDS_TRAINED_MODEL = "needs a trained model";

// --- Fixtures, as the standard tests define them ---------------------------------------------

const person = z
  .object({
    name: z.string().describe("Name of the person"),
    age: z.number().int().positive().describe("Age of the person"),
  })
  .describe("A person");

class PersonTool extends StructuredTool {
  name = "PersonTool";
  description = person.description ?? "description";
  schema = person;
  async _call(input: z.infer<typeof person>) {
    return JSON.stringify(input);
  }
}

const adderSchema = z
  .object({
    a: z.number().int().describe("The first integer to add."),
    b: z.number().int().describe("The second integer to add."),
  })
  .describe("Add two integers");

class AdderTool extends StructuredTool {
  name = "AdderTool";
  description = adderSchema.description ?? "description";
  schema = adderSchema;
  async _call(input: z.infer<typeof adderSchema>) {
    return JSON.stringify({ result: input.a + input.b });
  }
}

const MATH_ADDITION_PROMPT = ChatPromptTemplate.fromMessages([
  ["system", "You are bad at math and must ALWAYS call the {toolName} function."],
  ["human", "What is the sum of 1836281973 and 19973286?"],
]);

/** Captures the extra params of each chat model start (TestCallbackHandler in src/utils.ts). */
class TestCallbackHandler extends BaseCallbackHandler {
  name = "TestCallbackHandler";
  _extraParams: Array<Record<string, unknown>> = [];
  get extraParams(): Record<string, unknown> {
    return this._extraParams.reduce(Object.assign, {});
  }
  override handleChatModelStart(
    _llm: Serialized,
    _messages: BaseMessage[][],
    _runId: string,
    _parentRunId?: string,
    extraParams?: Record<string, unknown>,
  ) {
    if (extraParams) this._extraParams.push(extraParams);
  }
}

type Format = { kwargs: { method: string }; schema: unknown };
const structuredOutputFormat = (handler: TestCallbackHandler) =>
  (handler.extraParams.options as { ls_structured_output_format?: Format })
    ?.ls_structured_output_format;

const isContentBlock = (part: unknown) =>
  typeof part === "object" &&
  part !== null &&
  typeof (part as { type?: unknown }).type === "string";

// --- Unit tests (ChatModelUnitTests) -----------------------------------------------------------

describe("LangChain standard unit tests (ChatModelUnitTests)", () => {
  let modelPath: string;
  // The standard parameters every unit test constructs with, merged under the model's own.
  const args = () => ({
    temperature: 0,
    maxTokens: 100,
    timeout: 60,
    stopSequences: [],
    maxRetries: 2,
    modelPath,
  });
  before(async () => {
    modelPath = await testModelPath({ family: "qwen" });
  });

  it("testChatModelInit", () => {
    assert.ok(new ChatNodeLlamaCpp(args()));
  });

  it("testChatModelInitApiKey", {
    skip: "n/a: a local GGUF model takes no API key (as ChatOllama's standard tests skip it)",
  }, () => {});

  it("testChatModelInitStreaming", () => {
    assert.ok(new ChatNodeLlamaCpp({ ...args(), streaming: true }));
  });

  it("testChatModelWithBindTools", () => {
    assert.ok(new ChatNodeLlamaCpp(args()).bindTools([new PersonTool()]));
  });

  it("testChatModelWithStructuredOutput", () => {
    assert.ok(new ChatNodeLlamaCpp(args()).withStructuredOutput(person));
  });

  it("testStandardParams", () => {
    const expected = [
      "ls_provider",
      "ls_model_name",
      "ls_model_type",
      "ls_temperature",
      "ls_max_tokens",
      "ls_stop",
    ];
    const lsParams = new ChatNodeLlamaCpp(args()).getLsParams({});
    assert.ok(lsParams);
    assert.deepEqual(Object.keys(lsParams).sort(), expected.sort());
  });

  it("testInvokeThrowsWithAbortedSignal", async () => {
    const chatModel = new ChatNodeLlamaCpp(args());
    await assert.rejects(
      chatModel.invoke([new HumanMessage("hello")], { signal: AbortSignal.abort() }),
    );
  });

  it("testStreamReturnsEarlyWithAbortedSignal", async () => {
    const chatModel = new ChatNodeLlamaCpp(args());
    const chunks: AIMessageChunk[] = [];
    try {
      const stream = await chatModel.stream([new HumanMessage("hello")], {
        signal: AbortSignal.abort(),
      });
      for await (const chunk of stream) chunks.push(chunk);
      assert.equal(chunks.length, 0);
    } catch {
      // Also acceptable: the stream threw because the signal was aborted.
    }
  });
});

// --- Integration tests (ChatModelIntegrationTests) ----------------------------------------------

describe("LangChain standard integration tests (ChatModelIntegrationTests)", () => {
  let constructorArgs: { modelPath: string; maxTokens: number };
  // Every model built by a test; disposed at the end.
  const models: ChatNodeLlamaCpp[] = [];
  const newModel = (extra: Record<string, unknown> = {}) => {
    const model = new ChatNodeLlamaCpp({ ...constructorArgs, ...extra });
    models.push(model);
    return model;
  };
  // The standard runner passes no call options; a random-weight model calls a tool only when the
  // call is forced, so tests that bind tools get `tool_choice: "any"`.
  const callOptions = undefined as Partial<ChatNodeLlamaCppCallOptions> | undefined;
  const toolCallOptions = { tool_choice: "any" as const, tags: ["standard-tests"] };
  const invokeResponseType = AIMessage;
  // The standard tests' check of a text reply: the right type, a string, not empty.
  const assertTextReply = (result: unknown) => {
    assert.ok(result instanceof invokeResponseType);
    assert.equal(typeof result.text, "string");
    assert.notEqual(result.text, "");
  };

  before(async () => {
    // Seed 3: a generated model whose greedy replies to the standard prompts are not empty (the
    // words are noise either way; with other seeds some turns end at once, failing "text is not ''").
    constructorArgs = {
      modelPath: await testModelPath({ family: "qwen", seed: 3 }),
      // Room for the shortest complete forced call of every standard tool (a smaller budget is
      // refused before sampling).
      maxTokens: 72,
    };
  });
  after(async () => {
    for (const model of models) await model.dispose();
  });

  it("testInvoke", async () => {
    const result = await newModel().invoke("Hello", callOptions);
    assert.ok(result);
    assertTextReply(result);
  });

  it("testStream", async () => {
    let numChars = 0;
    let chunkCount = 0;
    for await (const token of await newModel().stream("Hello", callOptions)) {
      chunkCount += 1;
      assert.ok(token instanceof AIMessageChunk);
      assert.ok(token.content !== undefined);
      if (typeof token.content === "string") numChars += token.content.length;
      else if (Array.isArray(token.content)) {
        for (const part of token.content) {
          assert.equal(isContentBlock(part), true);
          numChars += part.type === "text" && typeof part.text === "string" ? part.text.length : 1;
        }
      } else assert.fail("token.content must be a string or ContentBlock[]");
    }
    assert.ok(chunkCount > 0);
    assert.ok(numChars > 0);
  });

  it("testBatch", async () => {
    const batchResults = await newModel().batch(["Hello", "Hey"], callOptions);
    assert.ok(Array.isArray(batchResults));
    assert.equal(batchResults.length, 2);
    for (const result of batchResults) {
      assert.ok(result instanceof invokeResponseType);
      assert.equal(typeof result.text, "string");
      assert.notEqual(result.text, "");
    }
  });

  it("testStreamEvents", async () => {
    const events: StreamEvent[] = [];
    for await (const event of newModel().streamEvents("Hello", { ...callOptions, version: "v2" })) {
      events.push(event);
    }
    assert.ok(events.length >= 3);
    assert.equal(events[0].event, "on_chat_model_start");
    assert.equal(events[events.length - 1].event, "on_chat_model_end");
    assert.equal(events[Math.floor(events.length / 2)].event, "on_chat_model_stream");
    // The standard test reads `data.output` as text; LangChain puts the message there, so its content.
    const text = (value: unknown): string =>
      typeof value === "string"
        ? value
        : value instanceof AIMessageChunk
          ? (value.content as string)
          : "";
    const endContentText = text(events[events.length - 1].data.output);
    const allChunksText = events
      .filter((e) => e.event === "on_chat_model_stream")
      .map((e) => text(e.data.chunk ?? e.data.output))
      .join("");
    assert.equal(endContentText, allChunksText);
  });

  it("testConversation", async () => {
    const messages = [
      new HumanMessage("hello"),
      new AIMessage("hello"),
      new HumanMessage("how are you"),
    ];
    const result = await newModel().invoke(messages, callOptions);
    assertTextReply(result);
  });

  it("testDoubleMessageConversation", async () => {
    const messages = [
      new SystemMessage("hello"),
      new SystemMessage("hello"),
      new HumanMessage("hello"),
      new HumanMessage("hello"),
      new AIMessage("hello"),
      new AIMessage("hello"),
      new HumanMessage("how are you"),
    ];
    const result = await newModel().invoke(messages, callOptions);
    assertTextReply(result);
  });

  it("testUsageMetadata", async () => {
    const result = await newModel().invoke("Hello", callOptions);
    assert.ok(result instanceof invokeResponseType);
    const usage = result.usage_metadata;
    assert.ok(usage, "result is missing `usage_metadata`");
    assert.equal(typeof usage.input_tokens, "number");
    assert.equal(typeof usage.output_tokens, "number");
    assert.equal(typeof usage.total_tokens, "number");
    const responseMetadata = result.response_metadata;
    assert.ok(responseMetadata);
    assert.equal(typeof responseMetadata.model, "string");
    assert.notEqual(responseMetadata.model, "");
    // supportedUsageMetadataDetails.invoke: ["cache_read_input"] (Hearth reports KV-cache reuse).
    assert.equal(typeof usage.input_token_details?.cache_read, "number");
    const details = Object.values(usage.input_token_details ?? {}).reduce(
      (a, b) => (a ?? 0) + (b ?? 0),
      0,
    );
    assert.ok(usage.input_tokens >= (details ?? 0));
  });

  it("testUsageMetadataStreaming", async () => {
    let finalChunks: AIMessageChunk | undefined;
    for await (const chunk of await newModel().stream("Hello", callOptions)) {
      assert.ok(chunk instanceof AIMessageChunk);
      finalChunks = finalChunks ? finalChunks.concat(chunk) : chunk;
    }
    const usage = finalChunks?.usage_metadata;
    assert.ok(usage);
    assert.equal(typeof usage.input_tokens, "number");
    assert.equal(typeof usage.output_tokens, "number");
    assert.equal(typeof usage.total_tokens, "number");
  });

  it("testStopSequence", async () => {
    const result = await newModel().invoke("hi", { ...callOptions, stop: ["you"] });
    assert.ok(result instanceof invokeResponseType);
    assert.ok(result.content !== undefined);
    const customResult = await newModel({ stop: ["you"] }).invoke("hi", callOptions);
    assert.ok(customResult instanceof invokeResponseType);
    assert.ok(customResult.content !== undefined);
  });

  it("testToolCalling", {
    skip: `${NEEDS_TRAINED_MODEL}: asserts the arguments equal {a: 1, b: 2} as the question asks`,
  }, () => {});

  it("testBindToolsWithRunnableToolLike", async () => {
    const runnableLike = RunnableLambda.from((_: unknown) => {}).asTool({
      name: "math_addition",
      description: adderSchema.description,
      schema: adderSchema,
    });
    const modelWithTools = newModel().bindTools([runnableLike]);
    const result = await MATH_ADDITION_PROMPT.pipe(modelWithTools).invoke(
      { toolName: "math_addition" },
      toolCallOptions,
    );
    const { tool_calls } = result;
    assert.ok(tool_calls?.[0], "result.tool_calls is undefined");
    assert.equal(tool_calls.length, 1);
    assert.equal(tool_calls[0].name, "math_addition");
    assert.equal(typeof tool_calls[0].args.a, "number");
    assert.equal(typeof tool_calls[0].args.b, "number");
    assert.deepEqual(Object.keys(tool_calls[0].args).sort(), ["a", "b"]);
    assert.ok(tool_calls[0].id);
    assert.equal(tool_calls[0].type, "tool_call");
  });

  it("testBindToolsWithOpenAIFormattedTools", async () => {
    const modelWithTools = newModel().bindTools([
      {
        type: "function",
        function: {
          name: "math_addition",
          description: adderSchema.description,
          parameters: toJsonSchema(adderSchema) as Record<string, unknown>,
        },
      },
    ]);
    const result = await MATH_ADDITION_PROMPT.pipe(modelWithTools).invoke(
      { toolName: "math_addition" },
      toolCallOptions,
    );
    assert.ok(result.tool_calls?.[0], "result.tool_calls is undefined");
    assert.equal(result.tool_calls[0].name, "math_addition");
  });

  const adderHistory = async (content: AIMessage["content"]) => {
    const adderTool = new AdderTool();
    const functionArgs = { a: 1, b: 2 };
    const functionId = "abc123";
    return {
      adderTool,
      messages: [
        new HumanMessage("What is 1 + 2"),
        new AIMessage({
          content,
          tool_calls: [
            { name: adderTool.name, args: functionArgs, id: functionId, type: "tool_call" },
          ],
        }),
        new ToolMessage(await adderTool.invoke(functionArgs), functionId, adderTool.name),
      ],
    };
  };

  it("testToolMessageHistoriesStringContent", async () => {
    const { adderTool, messages } = await adderHistory("");
    const result = await newModel().bindTools([adderTool]).invoke(messages, toolCallOptions);
    assert.ok(result instanceof invokeResponseType);
    assert.ok(result.content !== undefined);
  });

  it("testToolMessageHistoriesListContent", async () => {
    const { adderTool, messages } = await adderHistory([
      { type: "text", text: "some text" },
      { type: "tool_use", id: "abc123", name: "AdderTool", input: { a: 1, b: 2 } },
    ]);
    const result = await newModel().bindTools([adderTool]).invoke(messages, toolCallOptions);
    assert.ok(result instanceof invokeResponseType);
    assert.ok(result.content !== undefined);
  });

  it("testStructuredFewShotExamples", async () => {
    const { adderTool, messages } = await adderHistory("");
    const functionResult = await adderTool.invoke({ a: 1, b: 2 });
    messages.push(new AIMessage(functionResult), new HumanMessage("What is 3 + 4"));
    const result = await newModel().bindTools([adderTool]).invoke(messages, toolCallOptions);
    assert.ok(result instanceof invokeResponseType);
  });

  // ChatNodeLlamaCpp's default method is "jsonSchema" (a grammar over the reply), as ChatOllama's
  // is; the standard test asserts the method it gets, so it runs once per method.
  for (const method of [undefined, "functionCalling", "jsonSchema"] as const) {
    const expectedMethod = method ?? "jsonSchema";
    it(`testWithStructuredOutput (method: ${method ?? "default"})`, async () => {
      const handler = new TestCallbackHandler();
      const modelWithTools = newModel().withStructuredOutput(adderSchema, {
        name: "math_addition",
        method,
      });
      const result = await MATH_ADDITION_PROMPT.pipe(modelWithTools).invoke(
        { toolName: "math_addition" },
        { ...toolCallOptions, callbacks: [handler] },
      );
      assert.ok(result.a !== undefined);
      assert.equal(typeof result.a, "number");
      assert.ok(result.b !== undefined);
      assert.equal(typeof result.b, "number");
      const format = structuredOutputFormat(handler);
      assert.equal(format?.kwargs?.method, expectedMethod);
      assert.deepEqual(format?.schema, toJsonSchema(adderSchema));
    });

    it(`testWithStructuredOutputIncludeRaw (method: ${method ?? "default"})`, async () => {
      const handler = new TestCallbackHandler();
      const modelWithTools = newModel().withStructuredOutput(adderSchema, {
        includeRaw: true,
        name: "math_addition",
        method,
      });
      const result = await MATH_ADDITION_PROMPT.pipe(modelWithTools).invoke(
        { toolName: "math_addition" },
        { ...toolCallOptions, callbacks: [handler] },
      );
      assert.ok(result.raw instanceof invokeResponseType);
      assert.equal(typeof result.parsed.a, "number");
      assert.equal(typeof result.parsed.b, "number");
      const format = structuredOutputFormat(handler);
      assert.equal(format?.kwargs?.method, expectedMethod);
      assert.deepEqual(format?.schema, toJsonSchema(adderSchema));
      // Like a provider's function calling: the raw message carries the call it was parsed from.
      if (expectedMethod === "functionCalling") {
        const raw = result.raw as AIMessage;
        assert.equal(raw.tool_calls?.length, 1);
        assert.equal(raw.tool_calls?.[0].name, "math_addition");
        assert.deepEqual(raw.tool_calls?.[0].args, result.parsed);
      }
    });
  }

  it("testCacheComplexMessageTypes", async () => {
    const model = newModel({ cache: true });
    assert.ok(model.cache, "Cache not enabled");
    const humanMessage = new HumanMessage({ content: [{ type: "text", text: "Hello there!" }] });
    const prompt = getBufferString([humanMessage]);
    const llmKey = model._getSerializedCacheKeyParametersForCall({} as never);
    await model.invoke([humanMessage], callOptions);
    const cacheValue = await model.cache.lookup(prompt, llmKey);
    assert.ok(cacheValue !== null);
    assert.equal(cacheValue.length, 1);
    assert.ok("message" in cacheValue[0]);
    const cachedMessage = (cacheValue[0] as { message: AIMessage }).message;
    const result = await model.invoke([humanMessage], callOptions);
    assert.deepEqual(result, cachedMessage);
    const cacheValue2 = await model.cache.lookup(prompt, llmKey);
    assert.deepEqual(cacheValue2, cacheValue);
  });

  it("testStreamTokensWithToolCalls", async () => {
    const modelWithTools = newModel().bindTools([new AdderTool()]);
    const stream = await MATH_ADDITION_PROMPT.pipe(modelWithTools).stream(
      { toolName: "math_addition" },
      toolCallOptions,
    );
    let result: AIMessageChunk | undefined;
    for await (const chunk of stream) result = result ? result.concat(chunk) : chunk;
    assert.ok(result);
    assert.ok(result.tool_calls?.[0]);
    assert.ok(result.usage_metadata);
    assert.ok(result.usage_metadata.input_tokens > 0);
    assert.ok(result.usage_metadata.output_tokens > 0);
  });

  it("testModelCanUseToolUseAIMessage", {
    skip: `${NEEDS_TRAINED_MODEL}: asserts a text answer after the tool result, which a random model gives only by chance`,
  }, () => {});

  it("testModelCanUseToolUseAIMessageWithStreaming", {
    skip: `${NEEDS_TRAINED_MODEL}: asserts a text answer after the tool result, which a random model gives only by chance`,
  }, () => {});

  it("testInvokeMoreComplexTools", {
    skip: `${NEEDS_TRAINED_MODEL}: four free strings and a free-form object (z.record) that only a trained model closes; random weights run them to maxTokens`,
  }, () => {});

  it("testParallelToolCalling", {
    skip: `${NEEDS_TRAINED_MODEL}: asserts both the weather and the time tool are chosen, then a text answer from their results`,
  }, () => {});

  const weatherParams: StructuredToolParams = {
    name: "get_current_weather",
    description: "Get the current weather in a given location",
    schema: z.object({
      location: z.string().max(24).describe("The city name, e.g. San Francisco"),
    }),
  };

  it("testModelCanAcceptStructuredToolParamsSchema", async () => {
    const result = await newModel()
      .bindTools([weatherParams])
      .invoke("What's the weather like in San Francisco today?", toolCallOptions);
    assert.ok((result.tool_calls?.length ?? 0) >= 1);
    assert.equal(result.tool_calls?.[0].name, weatherParams.name);
    assert.ok("location" in (result.tool_calls?.[0].args ?? {}));
  });

  it("testStreamTools", async () => {
    const stream = await newModel()
      .bindTools([weatherParams])
      .stream("What's the weather like in San Francisco today?", toolCallOptions);
    let full: AIMessageChunk | undefined;
    for await (const chunk of stream) full = full ? concat(full, chunk) : chunk;
    assert.ok(full);
    assert.ok((full.tool_calls?.length ?? 0) >= 1);
    assert.equal(full.tool_calls?.[0].name, weatherParams.name);
    assert.ok("location" in (full.tool_calls?.[0].args ?? {}));
  });

  it("testStandardTextContentBlocks", async () => {
    const msg = new HumanMessage({
      content: [
        { type: "text", source_type: "text", text: "Hello from a text content block!" } as never,
      ],
    });
    const result = await newModel().invoke([msg], callOptions);
    assert.ok(result);
    assert.notEqual(result.text, "");
  });

  // supportsStandardContentType: { text: true } only; a text-only GGUF model cannot read the rest.
  for (const [name, block] of [
    [
      "testStandardImageContentBlocks",
      { type: "image", source_type: "base64", data: "iVBORw0KGgo=", mime_type: "image/png" },
    ],
    [
      "testStandardAudioContentBlocks",
      { type: "audio", source_type: "base64", data: "UklGRigAAABXQVZF", mime_type: "audio/wav" },
    ],
    ["testStandardFileContentBlocks", { type: "file", source_type: "text", text: "Hello, World!" }],
  ] as const) {
    it(name, {
      skip: `n/a: ${block.type} content is not readable by a text-only GGUF model`,
    }, () => {});
    it(`${name}: refused with a clear error rather than silently dropped`, async () => {
      const msg = new HumanMessage({
        content: [{ type: "text", text: "Describe this." }, block as never],
      });
      await assert.rejects(
        newModel().invoke([msg]),
        new RegExp(`${block.type}.*(dropUnsupportedContent|cannot read)`, "s"),
      );
    });
  }
});
