import type { BaseMessage } from "@langchain/core/messages";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StructuredRunnable } from "./context.js";

export interface StructuredReply {
  raw?: BaseMessage;
  parsed: unknown;
  /** Why nothing could be parsed, when the model's structured-output step threw. */
  error?: string;
}

/**
 * Runs a structured-output call and reports an unparseable reply instead of throwing: models
 * differ here (LangChain's default pipeline yields `parsed: null`, ChatNodeLlamaCpp throws when
 * the JSON is cut off), and the graph has a fallback for both. Aborts still propagate, and a
 * model that is broken outright fails at the next (unstructured) call.
 */
export async function invokeStructured(
  runnable: StructuredRunnable,
  messages: BaseMessage[],
  config: RunnableConfig,
): Promise<StructuredReply> {
  try {
    return await runnable.invoke(messages, config);
  } catch (error) {
    if (config.signal?.aborted) throw error;
    return { parsed: null, error: error instanceof Error ? error.message : String(error) };
  }
}
