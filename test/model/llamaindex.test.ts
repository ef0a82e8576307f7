import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BaseMessage } from "@langchain/core/messages";
import {
  ContextChatEngine,
  Document,
  FunctionTool,
  MetadataMode,
  Settings,
  type ToolCall,
  VectorStoreIndex,
} from "llamaindex";
import { HearthEmbedding, HearthLLM } from "../../src/adapters/llamaindex/index.js";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { cosineSimilarity, HearthEmbeddings } from "../../src/models/embeddings/index.js";
import { testModelPath } from "../helpers/test-models.js";

/** What reached the local model and what it said, through LangChain callbacks. */
interface Observed {
  prompts: BaseMessage[][];
  outputs: string[];
}

let chat: ChatNodeLlamaCpp;
let embeddings: HearthEmbeddings;
let llm: HearthLLM;
let embedModel: HearthEmbedding;
const observed: Observed = { prompts: [], outputs: [] };

before(async () => {
  const chatPath = await testModelPath({ family: "qwen" });
  const embedPath = await testModelPath({ family: "qwen", pooling: "last" });
  chat = new ChatNodeLlamaCpp({
    modelPath: chatPath,
    contextSize: 2048,
    maxTokens: 80,
    callbacks: [
      {
        handleChatModelStart(_llm, messages) {
          observed.prompts.push(messages[0]);
        },
        handleLLMEnd(output) {
          observed.outputs.push(output.generations[0][0].text);
        },
      },
    ],
  });
  embeddings = new HearthEmbeddings({ modelPath: embedPath, contextSize: 512 });
  llm = new HearthLLM({ chatModel: chat });
  embedModel = new HearthEmbedding(embeddings);
  Settings.llm = llm;
  Settings.embedModel = embedModel;
});

after(async () => {
  await chat.dispose();
  await embeddings.dispose();
});

const DOCUMENTS = [
  new Document({ text: "Hearth keeps the KV cache of the shared prompt prefix.", id_: "cache" }),
  new Document({ text: "Tool calls are forced by GBNF grammars.", id_: "grammar" }),
  new Document({ text: "The selector picks a model that fits the machine.", id_: "select" }),
];

describe("LlamaIndex.TS over the local model (HearthLLM, HearthEmbedding)", () => {
  it("chat and streamed chat give the model's own text, and metadata reports the context", async () => {
    assert.equal(llm.metadata.contextWindow, 2048);
    assert.equal(llm.metadata.maxTokens, 80);
    const messages = [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: "What is Hearth?" },
    ];
    const reply = await llm.chat({ messages });
    const direct = await chat.invoke([
      ["system", "Be brief."],
      ["human", "What is Hearth?"],
    ]);
    assert.equal(reply.message.content, direct.content, "greedy: same text as the chat model");
    assert.ok(String(reply.message.content).length > 0);
    let streamed = "";
    for await (const chunk of await llm.chat({ messages, stream: true })) streamed += chunk.delta;
    assert.equal(streamed, reply.message.content);
    const completion = await llm.complete({ prompt: "What is Hearth?" });
    assert.equal(typeof completion.text, "string");
  });

  it("tool calls come back in options.toolCall, forced and valid with tool_choice", async () => {
    const weather = FunctionTool.from(
      ({ city }: { city: string; unit: string }) => `sunny in ${city}`,
      {
        name: "get_weather",
        description: "Current weather in a city",
        parameters: {
          type: "object",
          properties: {
            city: { type: "string", maxLength: 8 },
            unit: { type: "string", enum: ["celsius", "fahrenheit"] },
          },
          required: ["city", "unit"],
        },
      },
    );
    const messages = [{ role: "user" as const, content: "Weather in Oslo?" }];
    const reply = await llm.chat({
      messages,
      tools: [weather],
      additionalChatOptions: { tool_choice: "get_weather" },
    });
    const calls = (reply.message.options as { toolCall: ToolCall[] }).toolCall;
    assert.equal(calls.length, 1);
    assert.equal(calls[0].name, "get_weather");
    assert.ok(["celsius", "fahrenheit"].includes(calls[0].input.unit as string));
    assert.equal(typeof calls[0].input.city, "string");
    assert.ok(calls[0].id);

    // A stream ends with the complete call (text chunks before it carry no calls).
    const chunks = [];
    for await (const chunk of await llm.chat({
      messages,
      tools: [weather],
      additionalChatOptions: { tool_choice: "get_weather" },
      stream: true,
    })) {
      chunks.push(chunk);
    }
    const streamedCalls = (chunks.at(-1)!.options as { toolCall: ToolCall[] }).toolCall;
    assert.equal(streamedCalls.length, 1);
    assert.equal(streamedCalls[0].name, "get_weather");
    assert.ok(["celsius", "fahrenheit"].includes(streamedCalls[0].input.unit as string));
    assert.ok(chunks.slice(0, -1).every((chunk) => !chunk.options));

    // The call and its result go back to the model as a LangChain AI message + ToolMessage.
    observed.prompts.length = 0;
    const result = await weather.call(calls[0].input as never);
    await llm.chat({
      messages: [
        ...messages,
        { role: "assistant", content: "", options: { toolCall: calls } },
        {
          role: "user",
          content: String(result),
          options: { toolResult: { id: calls[0].id, result: String(result), isError: false } },
        },
      ],
      tools: [weather],
      additionalChatOptions: { tool_choice: "none" },
    });
    const sent = observed.prompts.at(-1)!;
    assert.deepEqual(
      sent.map((message) => message.getType()),
      ["human", "ai", "tool"],
    );
    assert.equal(sent[2].content, String(result));
  });

  it("a VectorStoreIndex query engine retrieves with the local embeddings and answers with the local model", async () => {
    const index = await VectorStoreIndex.fromDocuments(DOCUMENTS);
    const engine = index.asQueryEngine({ similarityTopK: 2 });
    observed.prompts.length = 0;
    observed.outputs.length = 0;
    const question = "How are tool calls kept valid?";
    const response = await engine.query({ query: question });

    // Retrieval: the two nearest documents by the local model's own vectors, scores included.
    const queryVector = await embeddings.embedQuery(question);
    const documentVectors = await embeddings.embedDocuments(DOCUMENTS.map((doc) => doc.text));
    const expected = DOCUMENTS.map((doc, i) => ({
      text: doc.text,
      score: cosineSimilarity(queryVector, documentVectors[i]),
    }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 2);
    const sources = response.sourceNodes ?? [];
    assert.equal(sources.length, 2);
    for (const [i, source] of sources.entries()) {
      assert.equal(source.node.getContent(MetadataMode.NONE), expected[i].text);
      assert.ok(Math.abs((source.score ?? 0) - expected[i].score) < 1e-6);
    }
    // Synthesis: the prompt carried the retrieved text and the question; the answer is the model's.
    const prompt = observed.prompts.map((messages) => messages.map((m) => m.content).join("\n"));
    assert.ok(prompt.some((text) => text.includes(expected[0].text) && text.includes(question)));
    assert.equal(response.message.content, observed.outputs.at(-1));
  });

  it("a ContextChatEngine keeps the conversation and retrieves per turn", async () => {
    const index = await VectorStoreIndex.fromDocuments(DOCUMENTS);
    const engine = new ContextChatEngine({
      retriever: index.asRetriever({ similarityTopK: 1 }),
      chatModel: llm,
    });
    observed.prompts.length = 0;
    const first = await engine.chat({ message: "Tell me about the cache." });
    const second = await engine.chat({ message: "And the selector?" });
    assert.equal(first.sourceNodes?.length, 1);
    assert.equal(second.sourceNodes?.length, 1);
    const lastPrompt = observed.prompts.at(-1)!;
    const texts = lastPrompt.map((message) => String(message.content));
    assert.deepEqual(
      texts.slice(0, 3),
      ["Tell me about the cache.", String(first.message.content), "And the selector?"],
      "turn 1 and its answer are in the history",
    );
    // The retrieved context goes in as a system message after the question.
    assert.equal(lastPrompt.at(-1)?.getType(), "system");
    assert.match(texts.at(-1)!, /Context information is below/);
    assert.equal((await engine.chatHistory).length, 4);
  });
});
