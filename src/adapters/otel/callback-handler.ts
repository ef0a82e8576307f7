import { ToolMessage } from "@langchain/core/messages";
import {
  type Attributes,
  type Context,
  type Counter,
  context,
  type Histogram,
  type Meter,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import {
  errorType,
  GraphRunObserver,
  type ObservedRun,
  type RunEnd,
  type ToolCallResult,
} from "../telemetry/index.js";
import * as A from "./attributes.js";

export interface OpenTelemetryHandlerOptions {
  /** Default: `trace.getTracer("hearth")` from the globally registered provider. */
  tracer?: Tracer;
  /** Default: `metrics.getMeter("hearth")` from the globally registered provider. */
  meter?: Meter;
  /**
   * Record tool arguments and results on `execute_tool` spans. Off by default, as the
   * conventions ask: they can hold personal data.
   */
  captureContent?: boolean;
}

// In-process models run in this process: the conventions make such spans INTERNAL, calls to a
// served model CLIENT.
const IN_PROCESS_PROVIDERS = new Set(["node-llama-cpp"]);

/**
 * A LangChain callback handler that reports Hearth's graph (or any LangChain/LangGraph run) as
 * OpenTelemetry spans and metrics following the GenAI semantic conventions:
 * `invoke_agent {graph}` → one span per graph node → `chat {model}` and `execute_tool {tool}`,
 * plus `gen_ai.client.operation.duration` and `gen_ai.client.token.usage`. Only
 * `@opentelemetry/api` is used: the application registers the SDK and exporters it wants.
 *
 * ```ts
 * await graph.invoke(input, { callbacks: [new OpenTelemetryCallbackHandler()] });
 * ```
 */
export class OpenTelemetryCallbackHandler extends GraphRunObserver {
  name = "hearth_opentelemetry";

  private readonly tracer: Tracer;
  private readonly captureContent: boolean;
  private readonly spans = new Map<string, Span>();
  private readonly operationDuration: Histogram;
  private readonly tokenUsage: Histogram;
  private readonly nodeDuration: Histogram;
  private readonly toolCalls: Counter;

  constructor(options: OpenTelemetryHandlerOptions = {}) {
    super();
    this.tracer = options.tracer ?? trace.getTracer("hearth");
    this.captureContent = options.captureContent ?? false;
    const meter = options.meter ?? metrics.getMeter("hearth");
    this.operationDuration = meter.createHistogram(A.METRIC_OPERATION_DURATION, {
      description: "GenAI operation duration.",
      unit: "s",
      advice: { explicitBucketBoundaries: A.OPERATION_DURATION_BUCKETS },
    });
    this.tokenUsage = meter.createHistogram(A.METRIC_TOKEN_USAGE, {
      description: "Number of input and output tokens used.",
      unit: "{token}",
      advice: { explicitBucketBoundaries: A.TOKEN_USAGE_BUCKETS },
    });
    this.nodeDuration = meter.createHistogram(A.METRIC_NODE_DURATION, {
      description: "Wall time of one run of an agent graph node.",
      unit: "s",
      advice: { explicitBucketBoundaries: A.OPERATION_DURATION_BUCKETS },
    });
    this.toolCalls = meter.createCounter(A.METRIC_TOOL_CALLS, {
      description: "Tool calls the model proposed, by outcome (valid, invalid, failed).",
      unit: "{call}",
    });
  }

  /** The span of the nearest ancestor run that has one; else the caller's active context. */
  private parentContext(run: ObservedRun): Context {
    const parent = this.ancestor(run.parentRunId, (candidate) => this.spans.has(candidate.runId));
    const span = parent ? this.spans.get(parent.runId) : undefined;
    return span ? trace.setSpan(context.active(), span) : context.active();
  }

  protected override onRunStart(run: ObservedRun): void {
    const started = this.startSpan(run);
    if (started) this.spans.set(run.runId, started);
  }

  private startSpan(run: ObservedRun): Span | undefined {
    const parent = this.parentContext(run);
    switch (run.kind) {
      case "agent":
        return this.tracer.startSpan(
          `invoke_agent ${run.name}`,
          {
            kind: SpanKind.INTERNAL,
            attributes: compact({
              [A.GEN_AI_OPERATION_NAME]: "invoke_agent",
              [A.GEN_AI_AGENT_NAME]: run.name,
              [A.GEN_AI_CONVERSATION_ID]: run.threadId,
            }),
          },
          parent,
        );
      case "node":
        return this.tracer.startSpan(
          `node ${run.name}`,
          { kind: SpanKind.INTERNAL, attributes: { [A.HEARTH_GRAPH_NODE]: run.name } },
          parent,
        );
      case "chat": {
        const request = run.request!;
        return this.tracer.startSpan(
          `chat ${request.model}`,
          {
            kind: IN_PROCESS_PROVIDERS.has(request.provider) ? SpanKind.INTERNAL : SpanKind.CLIENT,
            attributes: compact({
              ...this.modelAttributes(run),
              [A.GEN_AI_CONVERSATION_ID]: run.threadId,
              [A.GEN_AI_OUTPUT_TYPE]: request.outputType,
              [A.GEN_AI_REQUEST_TEMPERATURE]: request.temperature,
              [A.GEN_AI_REQUEST_MAX_TOKENS]: request.maxTokens,
              [A.GEN_AI_REQUEST_TOP_K]: request.topK,
              [A.GEN_AI_REQUEST_TOP_P]: request.topP,
              [A.GEN_AI_REQUEST_SEED]: request.seed,
              [A.GEN_AI_REQUEST_STOP_SEQUENCES]: request.stop,
              [A.HEARTH_GRAPH_NODE]: run.node,
            }),
          },
          parent,
        );
      }
      case "tool":
        return this.tracer.startSpan(
          `execute_tool ${run.name}`,
          {
            kind: SpanKind.INTERNAL,
            attributes: compact({
              [A.GEN_AI_OPERATION_NAME]: "execute_tool",
              [A.GEN_AI_TOOL_NAME]: run.name,
              [A.GEN_AI_TOOL_CALL_ID]: run.toolCallId,
              [A.GEN_AI_TOOL_TYPE]: "function",
              [A.GEN_AI_TOOL_CALL_ARGUMENTS]: this.captureContent ? run.toolInput : undefined,
            }),
          },
          parent,
        );
      default:
        return undefined;
    }
  }

  private modelAttributes(run: ObservedRun): Attributes {
    const request = run.request!;
    return {
      [A.GEN_AI_OPERATION_NAME]: "chat",
      [A.GEN_AI_PROVIDER_NAME]: request.provider,
      [A.GEN_AI_SYSTEM]: request.provider,
      [A.GEN_AI_REQUEST_MODEL]: request.model,
    };
  }

  protected override onRunEnd(run: ObservedRun, end: RunEnd): void {
    const span = this.spans.get(run.runId);
    this.spans.delete(run.runId);
    const failure = end.error ?? toolFailure(end.output);
    if (run.kind === "chat") this.recordModelCall(run, end, span);
    if (run.kind === "node")
      this.nodeDuration.record(end.durationSeconds, { [A.HEARTH_GRAPH_NODE]: run.name });
    if (run.kind === "tool") {
      this.operationDuration.record(
        end.durationSeconds,
        compact({
          [A.GEN_AI_OPERATION_NAME]: "execute_tool",
          [A.GEN_AI_TOOL_NAME]: run.name,
          [A.ERROR_TYPE]: failure ? errorType(failure) : undefined,
        }),
      );
      if (span && this.captureContent && !failure) {
        span.setAttribute(A.GEN_AI_TOOL_CALL_RESULT, resultText(end.output));
      }
    }
    if (run.kind === "agent") {
      this.operationDuration.record(
        end.durationSeconds,
        compact({
          [A.GEN_AI_OPERATION_NAME]: "invoke_agent",
          [A.GEN_AI_AGENT_NAME]: run.name,
          [A.ERROR_TYPE]: failure ? errorType(failure) : undefined,
        }),
      );
      if (span && end.turn) {
        span.setAttributes({
          [A.HEARTH_GRAPH_ROUTE]: end.turn.route,
          [A.HEARTH_GRAPH_TOOL_ROUNDS]: end.turn.toolRounds,
          [A.HEARTH_GRAPH_STOP_REASON]: end.turn.stopReason,
          [A.HEARTH_GRAPH_VALIDATION]: end.turn.validation,
          [A.HEARTH_GRAPH_MODEL_CALLS]: end.turn.modelCalls,
          [A.GEN_AI_USAGE_INPUT_TOKENS]: end.turn.usage.input_tokens,
          [A.GEN_AI_USAGE_OUTPUT_TOKENS]: end.turn.usage.output_tokens,
        });
      }
    }
    if (!span) return;
    if (failure) {
      span.setAttribute(A.ERROR_TYPE, errorType(failure));
      span.setStatus({ code: SpanStatusCode.ERROR, message: failureMessage(failure) });
      if (failure instanceof Error) span.recordException(failure);
    }
    span.end();
  }

  private recordModelCall(run: ObservedRun, end: RunEnd, span: Span | undefined): void {
    const response = end.response;
    const attributes = compact({
      ...this.modelAttributes(run),
      [A.GEN_AI_RESPONSE_MODEL]: response?.model,
      [A.ERROR_TYPE]: end.error ? errorType(end.error) : undefined,
    });
    this.operationDuration.record(end.durationSeconds, attributes);
    // A cached answer repeats the usage of the call that produced it: nothing was processed.
    if (response?.cached) {
      span?.setAttribute(A.HEARTH_RESPONSE_CACHED, true);
      return;
    }
    if (response?.inputTokens !== undefined) {
      this.tokenUsage.record(response.inputTokens, {
        ...attributes,
        [A.GEN_AI_TOKEN_TYPE]: "input",
      });
    }
    if (response?.outputTokens !== undefined) {
      this.tokenUsage.record(response.outputTokens, {
        ...attributes,
        [A.GEN_AI_TOKEN_TYPE]: "output",
      });
    }
    if (!span || !response) return;
    span.setAttributes(
      compact({
        [A.GEN_AI_RESPONSE_MODEL]: response.model,
        [A.GEN_AI_RESPONSE_FINISH_REASONS]:
          response.finishReasons.length > 0 ? response.finishReasons : undefined,
        [A.GEN_AI_USAGE_INPUT_TOKENS]: response.inputTokens,
        [A.GEN_AI_USAGE_OUTPUT_TOKENS]: response.outputTokens,
        [A.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: response.cachedInputTokens,
        [A.HEARTH_KV_EVALUATED_TOKENS]: response.evaluatedPromptTokens,
      }),
    );
  }

  protected override onToolCall(result: ToolCallResult): void {
    const attributes = {
      [A.GEN_AI_TOOL_NAME]: result.tool,
      [A.HEARTH_TOOL_CALL_OUTCOME]: result.outcome,
    };
    this.toolCalls.add(1, attributes);
    // A refused call never started, so it has no execute_tool span: the node's span records it.
    this.spans.get(result.node.runId)?.addEvent("hearth.tool.call", {
      ...attributes,
      [A.GEN_AI_TOOL_CALL_ID]: result.id,
      [A.HEARTH_TOOL_CALL_REPAIRED]: result.repaired,
    });
  }
}

/** A tool that answered with an error ToolMessage (caught by the tool node) failed too. */
function toolFailure(output: unknown): Error | undefined {
  if (ToolMessage.isInstance(output) && output.status === "error") {
    const error = new Error(resultText(output));
    error.name = "ToolError";
    return error;
  }
  return undefined;
}

function resultText(output: unknown): string {
  if (ToolMessage.isInstance(output)) {
    return typeof output.content === "string" ? output.content : JSON.stringify(output.content);
  }
  return typeof output === "string" ? output : JSON.stringify(output);
}

function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Drops undefined values: OpenTelemetry attributes must not be undefined. */
function compact(attributes: Record<string, Attributes[string] | undefined>): Attributes {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, value]) => value !== undefined),
  ) as Attributes;
}
