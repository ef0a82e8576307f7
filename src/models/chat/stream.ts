import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import { type CallResult, messageFields } from "./interpret.js";

/**
 * Bridges node-llama-cpp's `onTextChunk` callback to LangChain's chunk generator: text chunks
 * as they come, then one closing chunk with what only the end knows (tool calls, usage, stop
 * reason), so the aggregated stream equals what `invoke` returns.
 */
export async function* streamCall(
  run: (onText: (text: string) => void) => Promise<CallResult>,
  runManager?: CallbackManagerForLLMRun,
): AsyncGenerator<ChatGenerationChunk> {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  let final: CallResult | undefined;
  const running = run((text) => {
    queue.push(text);
    wake?.();
  }).then(
    (result) => {
      final = result;
    },
    (error: unknown) => {
      failure = error;
    },
  );
  void running.finally(() => {
    finished = true;
    wake?.();
  });
  while (true) {
    while (queue.length > 0) {
      const text = queue.shift()!;
      yield new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text }) });
      await runManager?.handleLLMNewToken(text);
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  await running;
  if (failure !== undefined) throw failure;
  const result = final!;
  const closing = new ChatGenerationChunk({
    text: "",
    message: new AIMessageChunk({
      ...messageFields(result),
      content: "",
      tool_call_chunks: result.toolCalls.map((call, index) => ({
        type: "tool_call_chunk" as const,
        id: call.id,
        name: call.name,
        args: JSON.stringify(call.args),
        index,
      })),
    }),
    generationInfo: result.metadata,
  });
  // A forced call cut off by maxTokens is an invalid call with its raw text. AIMessageChunk's
  // constructor derives invalid calls from tool_call_chunks only (and would partial-parse the
  // cut JSON into a "valid" call), so they are set on the closing chunk itself, where a consumer
  // of the stream reads them (LangChain's concat does not carry them).
  if (result.invalidToolCalls.length > 0) {
    (closing.message as AIMessageChunk).invalid_tool_calls = result.invalidToolCalls;
  }
  yield closing;
}
