import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { BaseChatModelParams } from "@langchain/core/language_models/chat_models";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { type Runnable, RunnablePassthrough, RunnableSequence } from "@langchain/core/runnables";
import { ROUTE_TOOL_NAME, VERDICT_TOOL_NAME } from "../graph/schemas.js";

/** Which graph step a model call comes from, read from what was bound to the call. */
export type ScriptedStep = "route" | "validate" | "agent" | "answer";

export interface ScriptedCall {
  step: ScriptedStep;
  toolChoice: unknown;
  toolNames: string[];
  messages: BaseMessage[];
  /** Call options other than the tools themselves (e.g. thinking). */
  options: Record<string, unknown>;
}

/**
 * What the script returns: an AIMessage (text and/or tool_calls) for agent/answer steps; for
 * route/validate steps the structured object itself (it becomes a call of the bound schema tool)
 * or an AIMessage to simulate an unreadable reply; an Error is thrown from the model call.
 */
export type ScriptReply = AIMessage | Error | Record<string, unknown>;
export type Script = (call: ScriptedCall) => ScriptReply | Promise<ScriptReply>;

interface ScriptedCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
  response_format?: { name: string };
}

export interface ScriptedModelOptions extends BaseChatModelParams {
  /**
   * How `withStructuredOutput` works: "tool-call" is BaseChatModel's default (a bound schema
   * tool), "response-format" mimics ChatNodeLlamaCpp (a response format on the call, the reply's
   * text is the JSON, and tools passed to the call are only documented).
   */
  structured?: "tool-call" | "response-format";
  llmType?: string;
  /**
   * Token counts each reply reports. Default: input = characters of the messages, output = 5;
   * a fixed count makes throughput figures predictable.
   */
  usage?: { input?: number; output?: number };
}

function toolName(tool: BindToolsInput): string {
  const t = tool as { name?: string; function?: { name?: string } };
  return t.function?.name ?? t.name ?? "";
}

/**
 * The one scripted fake chat model for graph, eval and CLI tests: it replies from a script and
 * records every call. LangChain's fake chat models cannot return tool calls chosen per call; this
 * one can, and it supports `bindTools` and
 * (through BaseChatModel's default) `withStructuredOutput`, the way real tool-calling models do.
 */
export class ScriptedChatModel extends BaseChatModel<ScriptedCallOptions> {
  readonly calls: ScriptedCall[] = [];
  readonly usageReported: number[] = [];
  private nextId = 0;

  private readonly structured: "tool-call" | "response-format";
  private readonly llmType: string;
  private readonly usage: { input?: number; output?: number };

  constructor(
    private readonly script: Script,
    {
      structured = "tool-call",
      llmType = "scripted",
      usage = {},
      ...fields
    }: ScriptedModelOptions = {},
  ) {
    super(fields);
    this.structured = structured;
    this.llmType = llmType;
    this.usage = usage;
  }

  _llmType(): string {
    return this.llmType;
  }

  // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
  override withStructuredOutput(schema: any, config?: any): Runnable<BaseLanguageModelInput, any> {
    if (this.structured === "tool-call") return super.withStructuredOutput(schema, config);
    const model = this.withConfig({ response_format: { name: config?.name ?? "output" } });
    return RunnableSequence.from([
      { raw: model },
      RunnablePassthrough.assign({
        parsed: (input: { raw: BaseMessage }) => JSON.parse(String(input.raw.content)),
      }),
    ]);
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ScriptedCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ScriptedCallOptions> {
    return this.withConfig({ ...kwargs, tools } as Partial<ScriptedCallOptions>);
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
  ): Promise<ChatResult> {
    const { tools = [], tool_choice, response_format, signal: _signal, ...rest } = options;
    const toolNames = tools.map(toolName);
    const schemaName = response_format?.name;
    const step: ScriptedStep =
      toolNames.includes(ROUTE_TOOL_NAME) || schemaName === ROUTE_TOOL_NAME
        ? "route"
        : toolNames.includes(VERDICT_TOOL_NAME) || schemaName === VERDICT_TOOL_NAME
          ? "validate"
          : toolNames.length === 0 || tool_choice === "none"
            ? "answer"
            : "agent";
    const call: ScriptedCall = {
      step,
      toolChoice: tool_choice,
      toolNames,
      messages,
      options: rest as Record<string, unknown>,
    };
    this.calls.push(call);
    const reply = await this.script(call);
    if (reply instanceof Error) throw reply;
    const message =
      reply instanceof AIMessage
        ? reply
        : schemaName
          ? new AIMessage(JSON.stringify(reply))
          : new AIMessage({
              content: "",
              tool_calls: [
                { name: toolNames[0], args: reply, id: this.callId(), type: "tool_call" },
              ],
            });
    const input = this.usage.input ?? messages.reduce((n, m) => n + String(m.content).length, 0);
    const output = this.usage.output ?? 5;
    const usage = { input_tokens: input, output_tokens: output, total_tokens: input + output };
    this.usageReported.push(usage.total_tokens);
    // A chunk, as streaming-capable models return: BaseChatModel's withStructuredOutput insists on one.
    const withUsage = new AIMessageChunk({
      content: message.content,
      tool_calls: (message.tool_calls ?? []).map((c) => ({ ...c, id: c.id ?? this.callId() })),
      usage_metadata: usage,
    });
    // AIMessageChunk's constructor drops invalid_tool_calls given without tool_call_chunks.
    if (message.invalid_tool_calls?.length)
      withUsage.invalid_tool_calls = message.invalid_tool_calls;
    return { generations: [{ message: withUsage, text: String(withUsage.content) }] };
  }

  callId(): string {
    this.nextId += 1;
    return `call_${this.nextId}`;
  }

  callsOf(step: ScriptedStep): ScriptedCall[] {
    return this.calls.filter((c) => c.step === step);
  }
}

/** A script for a model that must never be called (e.g. a stand-in that only fills a slot). */
export function neverCalled(reason: string): Script {
  return (call) => {
    throw new Error(`This stand-in model is never called (${reason}); got a ${call.step} call.`);
  };
}

/** An AIMessage proposing the given tool calls (ids are filled in by the model). */
export function callTools(
  ...calls: Array<{ name: string; args: Record<string, unknown> }>
): AIMessage {
  return new AIMessage({
    content: "",
    tool_calls: calls.map((c) => ({ ...c, type: "tool_call" as const })),
  });
}

type Step<T> = T | ((call: ScriptedCall) => T | Promise<T>);

/**
 * A script from per-step queues: each call of a step takes the next entry, and the last entry
 * repeats once the queue is used up.
 */
export function stepScript(steps: {
  route?: Step<ScriptReply>[];
  agent?: Step<ScriptReply>[];
  validate?: Step<ScriptReply>[];
  answer?: Step<ScriptReply>[];
}): Script {
  const used: Record<ScriptedStep, number> = { route: 0, agent: 0, validate: 0, answer: 0 };
  return async (call) => {
    const queue = steps[call.step];
    if (!queue || queue.length === 0)
      throw new Error(`The script has no reply for a ${call.step} call.`);
    const entry = queue[Math.min(used[call.step], queue.length - 1)];
    used[call.step] += 1;
    return typeof entry === "function" ? entry(call) : entry;
  };
}
