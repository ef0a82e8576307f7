import { ToolMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { Command, LangGraphRunnableConfig } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { withCheckedOutput, withTimeLimit } from "../tools/index.js";
import { capToolResult } from "./result-cap.js";

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

/**
 * A result that arrived after the limit (the tool held the event loop, so the timer could not
 * stop it) is an error for the model; the app still saw the result through `handleToolEnd`.
 */
function lateResult(call: ToolCall, timeoutMs: number, elapsedMs: number): ToolMessage {
  return new ToolMessage({
    status: "error",
    name: call.name,
    tool_call_id: call.id ?? "",
    content: `Error: tool "${call.name}" finished after ${Math.round(elapsedMs)} ms, past its limit of ${timeoutMs} ms, so its result was discarded. Answer without it or try a smaller request.`,
    response_metadata: { late: { elapsedMs, timeoutMs } },
  });
}

/**
 * LangGraph's `ToolNode` (parallel calls, unknown tools, schema errors and thrown errors become
 * error `ToolMessage`s) plus a per-call time limit: a call still running after `timeoutMs` is
 * answered with an error `ToolMessage` and its signal is aborted, so a hung tool cannot stall
 * the graph. Tools made with LangChain's `tool()` stop waiting on abort by themselves. Results
 * are checked (a value JSON cannot hold is an error, not "" or "[object Object]") and cut to
 * `maxResultChars` for the history.
 */
export class TimedToolNode extends ToolNode {
  constructor(
    tools: StructuredToolInterface[],
    readonly timeoutMs: number = DEFAULT_TOOL_TIMEOUT_MS,
    readonly maxResultChars: number = Number.POSITIVE_INFINITY,
  ) {
    super(tools.map(withCheckedOutput), { name: "tools", handleToolErrors: true });
  }

  protected override async runTool(
    call: ToolCall,
    config: LangGraphRunnableConfig,
    state: unknown,
  ): Promise<ToolMessage | Command> {
    const started = performance.now();
    const result = await withTimeLimit<ToolMessage | Command>(
      (signal) => super.runTool(call, { ...config, signal }, state),
      {
        timeoutMs: this.timeoutMs,
        signal: config.signal,
        onTimeout: () =>
          new ToolMessage({
            status: "error",
            name: call.name,
            tool_call_id: call.id ?? "",
            content: `Error: tool "${call.name}" did not finish within ${this.timeoutMs} ms and was stopped. Try different arguments or answer without it.`,
          }),
        abortReason: () => new Error(`tool "${call.name}" timed out after ${this.timeoutMs} ms`),
        onLate: (_late, elapsedMs) => lateResult(call, this.timeoutMs, elapsedMs),
      },
    );
    if (!ToolMessage.isInstance(result)) return result;
    const kept = capToolResult(result, this.maxResultChars);
    // Carried on the message so the trace can report it; concurrent runs share this node.
    kept.response_metadata = { ...kept.response_metadata, durationMs: performance.now() - started };
    return kept;
  }
}
