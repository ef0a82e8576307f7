import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { QwenChatWrapper } from "node-llama-cpp";
import { messagesToChatHistory } from "../../src/models/chat/index.js";

describe("LangChain messages → node-llama-cpp chat history", () => {
  it("keeps a tool call, its result and the answer after it in one model turn", () => {
    const history = messagesToChatHistory([
      new SystemMessage("sys"),
      new HumanMessage("weather?"),
      new AIMessage({
        content: "Let me check.",
        tool_calls: [
          { id: "a", name: "weather", args: { city: "Oslo" } },
          { id: "b", name: "weather", args: { city: "Rome" } },
        ],
      }),
      new ToolMessage({ tool_call_id: "b", content: "sunny" }),
      new ToolMessage({ tool_call_id: "a", content: [{ type: "text", text: "rain" }] }),
      new AIMessage("Oslo rain, Rome sun."),
      new HumanMessage("thanks"),
    ]);
    assert.deepEqual(history, [
      { type: "system", text: "sys" },
      { type: "user", text: "weather?" },
      {
        type: "model",
        response: [
          "Let me check.",
          {
            type: "functionCall",
            name: "weather",
            params: { city: "Oslo" },
            result: "rain",
            startsNewChunk: undefined,
          },
          {
            type: "functionCall",
            name: "weather",
            params: { city: "Rome" },
            result: "sunny",
            startsNewChunk: false,
          },
          "Oslo rain, Rome sun.",
        ],
      },
      { type: "user", text: "thanks" },
      { type: "model", response: [] },
    ]);
  });

  it("ends on the open model turn when the history ends with tool results, so the model continues it", () => {
    const history = messagesToChatHistory([
      new HumanMessage("2+2?"),
      new AIMessage({
        content: "",
        tool_calls: [{ id: "c", name: "calc", args: { expression: "2+2" } }],
      }),
      new ToolMessage({ tool_call_id: "c", content: "4" }),
    ]);
    assert.equal(history.length, 2);
    const last = history[1];
    assert.equal(last.type, "model");
    assert.deepEqual(last.type === "model" && last.response.at(-1), {
      type: "functionCall",
      name: "calc",
      params: { expression: "2+2" },
      result: "4",
      startsNewChunk: undefined,
    });
  });

  it("loses nothing: an orphan tool result becomes user text, an unanswered call gets a placeholder result", () => {
    const history = messagesToChatHistory([
      new HumanMessage("q"),
      new ToolMessage({ tool_call_id: "zzz", name: "search", content: "orphan" }),
      new AIMessage({ content: "", tool_calls: [{ id: "d", name: "search", args: {} }] }),
      new HumanMessage("next"),
    ]);
    assert.deepEqual(history[1], { type: "user", text: "Result of tool search (zzz): orphan" });
    const model = history[2];
    assert.ok(model.type === "model");
    const call = model.response[0];
    assert.ok(typeof call === "object" && call.type === "functionCall");
    assert.match(String(call.result), /no result/);
  });

  it("maps tool names through the caller's mapper", () => {
    const history = messagesToChatHistory(
      [new AIMessage({ content: "", tool_calls: [{ id: "e", name: "math.add", args: {} }] })],
      { toModelName: (name) => name.replace(".", "__") },
    );
    const model = history[0];
    assert.ok(model.type === "model");
    assert.equal((model.response[0] as { name: string }).name, "math__add");
  });
});

describe("sequential tool rounds keep a stable prompt prefix", () => {
  it("the rendering of round 1 is a prefix of the rendering of round 2 (Qwen wrapper)", () => {
    const wrapper = new QwenChatWrapper();
    const round1 = [
      new SystemMessage("sys"),
      new HumanMessage("weather in Oslo, then Rome?"),
      new AIMessage({
        content: "",
        tool_calls: [{ id: "a", name: "weather", args: { city: "Oslo" } }],
      }),
      new ToolMessage({ tool_call_id: "a", content: "rain" }),
    ];
    const round2 = [
      ...round1,
      new AIMessage({
        content: "",
        tool_calls: [{ id: "b", name: "weather", args: { city: "Rome" } }],
      }),
      new ToolMessage({ tool_call_id: "b", content: "sun" }),
    ];
    const functions = {
      weather: {
        description: "Weather",
        params: { type: "object", properties: { city: { type: "string" } } },
      },
    } as const;
    const render = (messages: typeof round1) =>
      wrapper
        .generateContextState({
          chatHistory: messagesToChatHistory(messages),
          availableFunctions: functions,
        })
        .contextText.toString();
    const first = render(round1);
    const second = render(round2);
    assert.ok(second.startsWith(first), `round 2 re-renders round 1:\n${first}\n---\n${second}`);
  });
});
