// The requests Python LlamaIndex's `OpenAILike(is_chat_model=True, is_function_calling_model=True)`
// sends, and the checks its response parsing implies. Read from llama-index-llms-openai
// (llama_index/llms/openai/base.py: `_get_model_kwargs`, `_chat`, `_stream_chat`,
// `_prepare_chat_with_tools`; utils.py: `to_openai_message_dict`, `from_openai_message`,
// `resolve_tool_choice`, `update_tool_calls`) and llama-index-core's `ToolMetadata.to_openai_tool`.
import assert from "node:assert/strict";

/** LlamaIndex's default temperature (llama_index.core.constants.DEFAULT_TEMPERATURE). */
export const LLAMAINDEX_DEFAULT_TEMPERATURE = 0.1;

/** `FunctionTool.from_defaults(get_weather)` with a pydantic schema, as `to_openai_tool` writes it;
 * `is_function_calling_model=True` adds `strict: false` and `additionalProperties: false`. */
export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "get_weather(city: str, unit: str) -> str\nCurrent weather in a city.",
    parameters: {
      type: "object",
      properties: {
        city: { title: "City", type: "string", maxLength: 12 },
        unit: { title: "Unit", type: "string", enum: ["celsius", "fahrenheit"] },
      },
      required: ["city", "unit"],
      additionalProperties: false,
    },
    strict: false,
  },
} as const;

/** `llm.chat([ChatMessage(role="system"...), ChatMessage(role="user"...)])`: `_chat`'s body. */
export function chatRequest(model: string, maxTokens: number) {
  return {
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "What is Hearth?" },
    ],
    stream: false,
    model,
    temperature: LLAMAINDEX_DEFAULT_TEMPERATURE,
    max_tokens: maxTokens,
  };
}

/** `llm.stream_chat(...)`: `_get_model_kwargs(stream=True)`; no stream_options unless configured. */
export function streamChatRequest(model: string, maxTokens: number) {
  const { stream: _stream, ...rest } = chatRequest(model, maxTokens);
  return { ...rest, stream: true };
}

/** `llm.chat_with_tools([tool], user_msg, tool_required=True)` / `tool_choice="get_weather"`. */
export function toolChatRequest(
  model: string,
  maxTokens: number,
  toolChoice: "auto" | "required" | { type: "function"; function: { name: string } },
  stream: boolean,
) {
  return {
    messages: [{ role: "user", content: "What is the weather in Oslo?" }],
    ...(stream ? {} : { stream: false }),
    model,
    temperature: LLAMAINDEX_DEFAULT_TEMPERATURE,
    max_tokens: maxTokens,
    tools: [WEATHER_TOOL],
    tool_choice: toolChoice,
    parallel_tool_calls: false,
    ...(stream ? { stream: true } : {}),
  };
}

/**
 * The next turn of a function-calling agent: the assistant message carries the calls as the
 * client returned them (`content` None when empty), the tool message its `tool_call_id` and name.
 */
export function toolResultRequest(
  model: string,
  maxTokens: number,
  call: { id: string; name: string; arguments: string },
  result: string,
) {
  return {
    messages: [
      { role: "user", content: "What is the weather in Oslo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: call.arguments },
          },
        ],
      },
      { role: "tool", content: result, tool_call_id: call.id, name: call.name },
    ],
    stream: false,
    model,
    temperature: LLAMAINDEX_DEFAULT_TEMPERATURE,
    max_tokens: maxTokens,
    tools: [WEATHER_TOOL],
    tool_choice: "auto",
    parallel_tool_calls: false,
  };
}

interface ChatCompletion {
  choices: Array<{
    message: {
      role: string;
      content: string | null;
      tool_calls?: Array<{
        id: string;
        type: string;
        function: { name: string; arguments: string };
      }>;
    };
    finish_reason: string | null;
  }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** `from_openai_message` + `get_tool_calls_from_response` + `_get_response_token_counts`. */
export function assertParsesAsLlamaIndex(response: ChatCompletion): void {
  assert.ok(response.choices.length >= 1, "choices[0] is read");
  const message = response.choices[0].message;
  assert.equal(message.role, "assistant");
  for (const call of message.tool_calls ?? []) {
    assert.equal(call.type, "function", "anything else raises 'Invalid tool type'");
    assert.ok(call.id, "ToolSelection.tool_id");
    assert.equal(typeof call.function.arguments, "string");
    assert.doesNotThrow(
      () => JSON.parse(call.function.arguments),
      "parse_partial_json of arguments",
    );
  }
  if (response.usage) {
    for (const key of ["prompt_tokens", "completion_tokens", "total_tokens"] as const) {
      assert.equal(typeof response.usage[key], "number");
    }
  }
}

interface ChunkToolCall {
  index: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | null };
}
interface ChatCompletionChunk {
  choices: Array<{
    delta: { role?: string; content?: string | null; tool_calls?: ChunkToolCall[] };
  }>;
}

/**
 * Replays `_stream_chat`'s accumulation: content deltas are concatenated; `update_tool_calls`
 * reads only `delta.tool_calls[0]` of each chunk, starts a call when the index changes and
 * otherwise appends name, id and arguments (so a server must send id and name once, and
 * arguments as strings). Returns what LlamaIndex ends up holding.
 */
export function accumulateAsLlamaIndex(chunks: ChatCompletionChunk[]): {
  content: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
} {
  let content = "";
  const calls: Array<{ index: number; id: string; name: string; arguments: string }> = [];
  for (const chunk of chunks) {
    if (chunk.choices.length === 0) continue;
    const delta = chunk.choices[0].delta;
    content += delta.content ?? "";
    const deltas = delta.tool_calls;
    if (!deltas || deltas.length === 0) continue;
    assert.equal(deltas.length, 1, "update_tool_calls reads only tool_calls[0] of a chunk");
    const piece = deltas[0];
    const last = calls.at(-1);
    if (!last || last.index !== piece.index) {
      assert.ok(piece.id, "a new call's first delta carries its id");
      assert.ok(piece.function?.name, "and its name");
      assert.equal(typeof piece.function?.arguments, "string", "arguments start as a string");
      calls.push({
        index: piece.index,
        id: piece.id,
        name: piece.function.name,
        arguments: piece.function.arguments ?? "",
      });
    } else {
      last.arguments += piece.function?.arguments ?? "";
      last.name += piece.function?.name ?? "";
      last.id += piece.id ?? "";
    }
  }
  return { content, toolCalls: calls.map(({ index: _index, ...call }) => call) };
}
