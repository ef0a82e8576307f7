import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { Serialized } from "@langchain/core/load/serializable";
import { type BaseMessage, ToolMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import type { ChainValues } from "@langchain/core/utils/types";
import { type GraphTurn, readGraphTurn } from "./graph-turn.js";
import {
  type ModelRequest,
  type ModelResponse,
  readModelRequest,
  readModelResponse,
  serializedName,
} from "./model-call.js";

/**
 * agent: a compiled LangGraph graph; node: one of its nodes; chat: a chat model call; tool: a
 * tool execution; chain: any other runnable (only kept so children find their parents).
 */
export type RunKind = "agent" | "node" | "chat" | "tool" | "chain";

export interface ObservedRun {
  kind: RunKind;
  runId: string;
  parentRunId?: string;
  /** The outermost run this handler saw for this invocation (one graph turn). */
  rootId: string;
  /** performance.now() at start. */
  startedAt: number;
  /** Graph name, node name, model name or tool name. */
  name: string;
  /** The LangGraph node this run belongs to (`metadata.langgraph_node`). */
  node?: string;
  /** `configurable.thread_id`, which LangGraph copies into run metadata. */
  threadId?: string;
  request?: ModelRequest;
  toolCallId?: string;
  toolInput?: string;
}

export interface RunEnd {
  durationSeconds: number;
  error?: unknown;
  /** Chat runs. */
  response?: ModelResponse;
  /** Agent runs of Hearth's graph: what its state measured. */
  turn?: GraphTurn;
  /** Tool runs: what the tool returned (a ToolMessage when called with a tool call). */
  output?: unknown;
}

/**
 * valid: the arguments were accepted and the tool ran; invalid: the call was refused before it
 * ran (unreadable, unknown tool, arguments that fail the schema); failed: the tool ran and threw
 * or timed out.
 */
export type ToolCallOutcome = "valid" | "invalid" | "failed";

export interface ToolCallResult {
  tool: string;
  id: string;
  outcome: ToolCallOutcome;
  /** A valid call of a tool whose previous call in the same turn was invalid: the model fixed it. */
  repaired: boolean;
  /** The graph node that ran the call. */
  node: ObservedRun;
}

const STEP_TAG = /^graph:step:\d+$/;
const GRAPH_CLASSES = new Set(["CompiledStateGraph", "CompiledGraph", "Pregel"]);

/**
 * Turns LangChain's callback stream into typed run starts and ends for monitoring: which run is
 * a graph, a node, a model call or a tool, how they nest (runId / parentRunId), what each model
 * call asked and used, and how each tool call ended. Subclasses turn these into OpenTelemetry
 * spans or Prometheus samples. One handler serves any number of concurrent runs.
 */
export abstract class GraphRunObserver extends BaseCallbackHandler {
  // Awaited, so that every metric of a run is recorded when `invoke` returns. The work done
  // here is bookkeeping in memory; it never waits on I/O.
  override awaitHandlers = true;

  private readonly runs = new Map<string, ObservedRun>();
  /** Per root run: tool call ids whose tool actually started. */
  private readonly startedCalls = new Map<string, Set<string>>();
  /** Per root run: tools whose latest call was invalid, so the next valid call is a repair. */
  private readonly invalidTools = new Map<string, Set<string>>();

  protected onRunStart(_run: ObservedRun): void {}
  protected onRunEnd(_run: ObservedRun, _end: RunEnd): void {}
  protected onToolCall(_result: ToolCallResult): void {}

  /** The run itself or its nearest ancestor this handler still tracks that passes `test`. */
  protected ancestor(
    runId: string | undefined,
    test: (run: ObservedRun) => boolean,
  ): ObservedRun | undefined {
    let current = runId ? this.runs.get(runId) : undefined;
    while (current) {
      if (test(current)) return current;
      current = current.parentRunId ? this.runs.get(current.parentRunId) : undefined;
    }
    return undefined;
  }

  private begin(run: Omit<ObservedRun, "rootId" | "startedAt">): void {
    // The same handler can reach a run twice (passed to the call and attached to the model):
    // the first start counts, and the first end then closes it.
    if (this.runs.has(run.runId)) return;
    const parent = run.parentRunId ? this.runs.get(run.parentRunId) : undefined;
    const observed: ObservedRun = {
      ...run,
      rootId: parent?.rootId ?? run.runId,
      startedAt: performance.now(),
    };
    this.runs.set(run.runId, observed);
    this.onRunStart(observed);
  }

  private finish(runId: string, end: Omit<RunEnd, "durationSeconds">): ObservedRun | undefined {
    const run = this.runs.get(runId);
    if (!run) return undefined;
    this.runs.delete(runId);
    this.onRunEnd(run, { ...end, durationSeconds: (performance.now() - run.startedAt) / 1000 });
    if (run.rootId === runId) {
      this.startedCalls.delete(runId);
      this.invalidTools.delete(runId);
    }
    return run;
  }

  // LangChain calls handleChainStart(chain, inputs, runId, parentRunId, tags, metadata,
  // runType, runName): its own tracers take them in this order, whatever base.d.ts names them.
  override handleChainStart(
    chain: Serialized,
    _inputs: ChainValues,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    _runType?: string,
    runName?: string,
  ): void {
    const node = typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : undefined;
    const isNode =
      node !== undefined &&
      runName === node &&
      (tags ?? []).some((tag) => STEP_TAG.test(tag)) &&
      !(tags ?? []).includes("langsmith:hidden");
    const className = serializedName(chain);
    const kind: RunKind = isNode
      ? "node"
      : className && GRAPH_CLASSES.has(className)
        ? "agent"
        : "chain";
    this.begin({
      kind,
      runId,
      parentRunId,
      name: runName ?? className ?? "chain",
      node,
      threadId: typeof metadata?.thread_id === "string" ? metadata.thread_id : undefined,
    });
  }

  override handleChainEnd(outputs: ChainValues, runId: string): void {
    const run = this.runs.get(runId);
    if (run?.kind === "node") this.classifyToolMessages(run, outputs);
    this.finish(runId, run?.kind === "agent" ? { turn: readGraphTurn(outputs) } : {});
  }

  override handleChainError(error: Error, runId: string): void {
    this.finish(runId, { error });
  }

  override handleChatModelStart(
    llm: Serialized,
    _messages: BaseMessage[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    const request = readModelRequest(llm, extraParams, metadata);
    this.begin({
      kind: "chat",
      runId,
      parentRunId,
      name: request.model,
      node: typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : undefined,
      threadId: typeof metadata?.thread_id === "string" ? metadata.thread_id : undefined,
      request,
    });
  }

  override handleLLMEnd(
    output: LLMResult,
    runId: string,
    _parentRunId?: string,
    _tags?: string[],
    extraParams?: Record<string, unknown>,
  ): void {
    if (this.runs.get(runId)?.kind !== "chat") return;
    this.finish(runId, { response: readModelResponse(output, extraParams) });
  }

  override handleLLMError(error: Error, runId: string): void {
    this.finish(runId, { error });
  }

  override handleToolStart(
    tool: Serialized,
    input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): void {
    const name = runName ?? (tool as { name?: string }).name ?? serializedName(tool) ?? "tool";
    this.begin({
      kind: "tool",
      runId,
      parentRunId,
      name,
      node: typeof metadata?.langgraph_node === "string" ? metadata.langgraph_node : undefined,
      threadId: typeof metadata?.thread_id === "string" ? metadata.thread_id : undefined,
      toolCallId,
      toolInput: input,
    });
    const run = this.runs.get(runId);
    if (run && toolCallId) {
      setFor(this.startedCalls, run.rootId).add(toolCallId);
    }
  }

  override handleToolEnd(output: unknown, runId: string): void {
    this.finish(runId, { output });
  }

  override handleToolError(error: Error, runId: string): void {
    this.finish(runId, { error });
  }

  /**
   * A graph node that returns ToolMessages ran tool calls (LangGraph's ToolNode, Hearth's tools
   * node). A call whose tool never started was refused before it ran: LangChain validates the
   * arguments before it reports a tool start, and unknown or unreadable calls never reach one.
   */
  private classifyToolMessages(node: ObservedRun, outputs: ChainValues): void {
    const messages = (outputs as { messages?: unknown } | undefined)?.messages;
    if (!Array.isArray(messages)) return;
    const started = this.startedCalls.get(node.rootId);
    for (const message of messages) {
      if (!ToolMessage.isInstance(message)) continue;
      const tool = message.name ?? "unknown";
      const outcome: ToolCallOutcome =
        message.status !== "error"
          ? "valid"
          : started?.has(message.tool_call_id)
            ? "failed"
            : "invalid";
      let repaired = false;
      if (outcome === "invalid") {
        setFor(this.invalidTools, node.rootId).add(tool);
      } else if (outcome === "valid" && this.invalidTools.get(node.rootId)?.delete(tool)) {
        repaired = true;
      }
      this.onToolCall({ tool, id: message.tool_call_id, outcome, repaired, node });
    }
  }
}

function setFor(sets: Map<string, Set<string>>, key: string): Set<string> {
  let set = sets.get(key);
  if (!set) {
    set = new Set();
    sets.set(key, set);
  }
  return set;
}
