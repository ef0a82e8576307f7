import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type OpenAI from "openai";
import { HearthEmbeddings } from "../../src/models/embeddings/index.js";
import {
  accumulateAsLlamaIndex,
  assertParsesAsLlamaIndex,
  chatRequest,
  streamChatRequest,
  toolChatRequest,
  toolResultRequest,
} from "../helpers/llamaindex-openai-like.js";
import { type ServedTestModel, serveTestModel } from "../helpers/serve-fixture.js";
import { testModelPath } from "../helpers/test-models.js";

// Python LlamaIndex's OpenAILike(is_chat_model=True, is_function_calling_model=True,
// context_window=CONTEXT) against hearth serve: its request bodies, replayed with the official
// openai client, and every answer checked the way LlamaIndex's client code reads it.
const CONTEXT = 1024;
// Room for the shortest complete forced call (a smaller budget is refused with a 400).
const MAX_TOKENS = 80;

let served: ServedTestModel;
let embeddings: HearthEmbeddings;
let model: string;

before(async () => {
  embeddings = new HearthEmbeddings({
    modelPath: await testModelPath({ family: "qwen", pooling: "last" }),
    contextSize: 256,
  });
  served = await serveTestModel(
    { contextSize: CONTEXT, sequences: 1, maxQueue: 4 },
    { embeddings: { "hearth-embed": embeddings } },
  );
  model = served.server.modelId;
});

after(async () => {
  await served.close();
  await embeddings.dispose();
});

type Body = Record<string, unknown>;
function create(body: Body): Promise<OpenAI.Chat.ChatCompletion> {
  return served.client.chat.completions.create(
    body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
  );
}
async function stream(body: Body): Promise<OpenAI.Chat.ChatCompletionChunk[]> {
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  const events = await served.client.chat.completions.create(
    body as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
  );
  for await (const chunk of events) chunks.push(chunk);
  return chunks;
}

describe("Python LlamaIndex's OpenAILike requests against hearth serve", () => {
  it("llm.chat: the body _chat sends; the answer parses as from_openai_message reads it", async () => {
    const response = await create(chatRequest(model, MAX_TOKENS));
    assertParsesAsLlamaIndex(response as never);
    assert.equal(typeof response.choices[0].message.content, "string");
    assert.ok(response.usage && response.usage.completion_tokens <= MAX_TOKENS);
  });

  it("llm.stream_chat: deltas accumulate as _stream_chat does", async () => {
    const chunks = await stream(streamChatRequest(model, MAX_TOKENS));
    const { content, toolCalls } = accumulateAsLlamaIndex(chunks as never);
    assert.ok(content.length > 0);
    assert.deepEqual(toolCalls, []);
    assert.ok(chunks.at(-1)?.choices[0]?.finish_reason, "the last chunk says why it stopped");
  });

  it("chat_with_tools(tool_choice='get_weather'): one valid call, as get_tool_calls_from_response reads it", async () => {
    const response = await create(
      toolChatRequest(
        model,
        MAX_TOKENS,
        { type: "function", function: { name: "get_weather" } },
        false,
      ),
    );
    assertParsesAsLlamaIndex(response as never);
    const calls = response.choices[0].message.tool_calls ?? [];
    assert.equal(calls.length, 1);
    const call = calls[0] as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
    assert.equal(call.function.name, "get_weather");
    const args = JSON.parse(call.function.arguments);
    assert.ok(["celsius", "fahrenheit"].includes(args.unit));
    assert.ok(typeof args.city === "string" && args.city.length <= 12);
    assert.deepEqual(Object.keys(args).sort(), ["city", "unit"], "additionalProperties: false");
    // "length" when the token limit closed the call: it is still one complete, valid call, and
    // LlamaIndex reads message.tool_calls whatever the finish reason.
    assert.ok(["tool_calls", "length"].includes(response.choices[0].finish_reason ?? ""));

    // The agent's next turn: the call as the client returned it (content None), the tool result.
    const next = await create(
      toolResultRequest(
        model,
        MAX_TOKENS,
        { id: call.id, name: call.function.name, arguments: call.function.arguments },
        "sunny, 21 degrees",
      ),
    );
    assertParsesAsLlamaIndex(next as never);
  });

  it("stream_chat_with_tools(tool_required=True): update_tool_calls rebuilds one complete call", async () => {
    const chunks = await stream(toolChatRequest(model, MAX_TOKENS, "required", true));
    const { toolCalls } = accumulateAsLlamaIndex(chunks as never);
    assert.equal(toolCalls.length, 1, "parallel_tool_calls: false");
    assert.equal(toolCalls[0].name, "get_weather");
    assert.match(toolCalls[0].id, /^\S+$/, "the id was sent once, not repeated");
    const args = JSON.parse(toolCalls[0].arguments);
    assert.ok(["celsius", "fahrenheit"].includes(args.unit));
    assert.ok(["tool_calls", "length"].includes(chunks.at(-1)?.choices[0]?.finish_reason ?? ""));
  });

  it("context_window: a prompt LlamaIndex packs below the window is served; one past it is refused clearly", async () => {
    // LlamaIndex fills prompts up to context_window − max_tokens by its own token count, which
    // leaves out the chat template's tokens; so context_window is set a little below the server's.
    const filler = "The cache keeps the shared prefix. ";
    const prompt = async (tokens: number) => {
      let text = filler;
      while ((await served.chat.getNumTokens(text + filler)) < tokens) text += filler;
      const body = chatRequest(model, MAX_TOKENS);
      body.messages[1].content = text;
      return body;
    };
    const fits = await create(await prompt(CONTEXT - MAX_TOKENS - 128));
    assertParsesAsLlamaIndex(fits as never);
    const used = (fits.usage?.prompt_tokens ?? 0) + MAX_TOKENS;
    assert.ok(used <= CONTEXT && used > CONTEXT / 2, `${used} tokens of ${CONTEXT}`);
    await assert.rejects(create(await prompt(CONTEXT - MAX_TOKENS)), (error: unknown) => {
      const { status, code, message } = error as { status: number; code: string; message: string };
      assert.equal(status, 400);
      assert.equal(code, "context_length_exceeded");
      assert.match(message, /Raise contextSize|send less/);
      return true;
    });
  });

  it("OpenAILikeEmbedding: /v1/embeddings on the same server", async () => {
    const texts = ["local first", "hybrid retrieval"];
    const response = await served.client.embeddings.create({
      model: "hearth-embed",
      input: texts,
    });
    const expected = await embeddings.embedDocuments(texts);
    assert.equal(response.data.length, 2);
    for (const [i, item] of response.data.entries()) {
      assert.equal(item.index, i);
      for (let j = 0; j < item.embedding.length; j++) {
        assert.ok(Math.abs(item.embedding[j] - expected[i][j]) < 1e-6);
      }
    }
  });
});
