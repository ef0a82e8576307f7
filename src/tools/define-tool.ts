import { type DynamicStructuredTool, type ToolRunnableConfig, tool } from "@langchain/core/tools";
import type {
  InferInteropZodInput,
  InferInteropZodOutput,
  InteropZodObject,
} from "@langchain/core/utils/types";
import { compileTool } from "./compile/compile-tool.js";
import { withTimeLimit } from "./time-limit.js";

export class ToolTimeoutError extends Error {
  override readonly name = "ToolTimeoutError";
  /** @param lateMs set when the tool did finish, but only after this long: its result was discarded. */
  constructor(
    readonly toolName: string,
    readonly timeoutMs: number,
    readonly lateMs?: number,
  ) {
    super(
      lateMs === undefined
        ? `Tool "${toolName}" did not finish within ${timeoutMs} ms and was stopped.`
        : `Tool "${toolName}" finished after ${Math.round(lateMs)} ms, past its limit of ${timeoutMs} ms; its result was discarded. It kept the process busy (synchronous code cannot be stopped): make it asynchronous or give it less work.`,
    );
  }
}

export interface DefineToolOptions<Schema extends InteropZodObject, Output> {
  name: string;
  description: string;
  /** A Zod object schema (Zod 4, or Zod 3 through `zod/v3`). */
  schema: Schema;
  /** Receives the parsed arguments; `config.signal` aborts on timeout and on the caller's abort. */
  func: (
    input: InferInteropZodOutput<Schema>,
    config: ToolRunnableConfig,
  ) => Output | Promise<Output>;
  /**
   * Stops the tool (and aborts `config.signal`) after this long; the failure goes to the model.
   * Only asynchronous work can be stopped: a function that computes synchronously (a busy loop)
   * holds the whole process until it returns, and then its result is discarded as late
   * (a ToolTimeoutError with `lateMs`). Move such work to a worker thread or child process.
   */
  timeoutMs?: number;
  /** "content_and_artifact": `func` returns `[content, artifact]` (LangChain's convention). */
  responseFormat?: "content" | "content_and_artifact";
  /**
   * The agent graph pauses for a person's approval before every call of this tool (for tools
   * with side effects). Kept as `metadata.needsApproval`, which plain LangChain tools can set too.
   */
  needsApproval?: boolean;
}

export type DefinedTool<Schema extends InteropZodObject, Output> = DynamicStructuredTool<
  Schema,
  InferInteropZodOutput<Schema>,
  InferInteropZodInput<Schema>,
  Output
>;

/**
 * LangChain's `tool()` with a timeout, and with the schema checked for grammar support at
 * definition time, so an unsupported keyword fails where the tool is written, not at first call.
 */
export function defineTool<Schema extends InteropZodObject, Output>(
  options: DefineToolOptions<Schema, Output>,
): DefinedTool<Schema, Output> {
  const { name, description, schema, func, timeoutMs } = options;
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new Error(`Tool "${name}": timeoutMs must be a positive number; got ${timeoutMs}.`);
  }
  const run = async (input: InferInteropZodOutput<Schema>, config: ToolRunnableConfig) => {
    if (timeoutMs === undefined) return func(input, config);
    const error = new ToolTimeoutError(name, timeoutMs);
    return withTimeLimit((signal) => func(input, { ...config, signal }), {
      timeoutMs,
      signal: config?.signal,
      onTimeout: () => {
        throw error;
      },
      abortReason: () => error,
      onLate: (_value, elapsedMs) => {
        throw new ToolTimeoutError(name, timeoutMs, elapsedMs);
      },
    });
  };
  const defined = (tool as unknown as (...args: unknown[]) => DefinedTool<Schema, Output>)(run, {
    name,
    description,
    schema,
    responseFormat: options.responseFormat,
    ...(options.needsApproval ? { metadata: { needsApproval: true } } : {}),
  });
  compileTool(defined);
  return defined;
}
