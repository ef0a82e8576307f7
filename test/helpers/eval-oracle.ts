import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import type { EmittedCall, EvalCase, EvalSuite } from "../../src/eval/index.js";

export interface FakeTurn {
  messages: BaseMessage[];
  toolNames: string[];
  toolChoice: unknown;
}

/** An AIMessage, or an Error to throw from the model call. */
export type FakeReply = AIMessage | Error;
export type Responder = (turn: FakeTurn) => FakeReply | Promise<FakeReply>;

interface FakeCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

/**
 * A tool-calling chat model whose replies come from a function of the conversation and the bound
 * tools, so eval tests can answer each case right, wrong, unparseable, or by throwing.
 */
export class EvalFakeChatModel extends BaseChatModel<FakeCallOptions> {
  readonly turns: FakeTurn[] = [];

  constructor(
    private readonly respond: Responder,
    private readonly outputTokens = 10,
  ) {
    super({});
  }

  _llmType(): string {
    return "eval-fake";
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<FakeCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, FakeCallOptions> {
    return this.withConfig({ ...kwargs, tools } as Partial<FakeCallOptions>);
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
  ): Promise<ChatResult> {
    const toolNames = (options.tools ?? []).map(
      (t) => (t as { function: { name: string } }).function.name,
    );
    const turn = { messages, toolNames, toolChoice: options.tool_choice };
    this.turns.push(turn);
    const reply = await this.respond(turn);
    if (reply instanceof Error) throw reply;
    const message = new AIMessage({
      content: reply.content,
      tool_calls: reply.tool_calls,
      invalid_tool_calls: reply.invalid_tool_calls,
      usage_metadata: {
        input_tokens: 1,
        output_tokens: this.outputTokens,
        total_tokens: 1 + this.outputTokens,
      },
    });
    return {
      generations: [{ message, text: typeof message.content === "string" ? message.content : "" }],
    };
  }
}

export function reply(calls: EmittedCall[], text = ""): AIMessage {
  return new AIMessage({
    content: text,
    tool_calls: calls.map((call, i) => ({
      id: `call_${i}`,
      name: call.name,
      args: call.args,
      type: "tool_call" as const,
    })),
  });
}

const firstAcceptable = (acceptable: unknown[]) => acceptable.find((value) => value !== "");

function materialize(acceptable: unknown[]): unknown {
  const value = firstAcceptable(acceptable);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown[]>)
        .filter(([, options]) => firstAcceptable(options) !== undefined)
        .map(([key, options]) => [key, materialize(options)]),
    );
  }
  return value;
}

/** The right answer to a case: the first acceptable call set, first acceptable value of each argument. */
export function perfectCalls(testCase: EvalCase): EmittedCall[] {
  if (testCase.expected === "none") return [];
  if (testCase.expected === "any") return [{ name: testCase.tools[0].function.name, args: {} }];
  return testCase.expected[0].map((call) => ({
    name: call.name,
    args: Object.fromEntries(
      Object.entries(call.arguments)
        .filter(([, options]) => firstAcceptable(options) !== undefined)
        .map(([key, options]) => [key, materialize(options)]),
    ),
  }));
}

/** Finds the case a conversation belongs to by its last user message. */
export function caseOf(suite: EvalSuite, messages: BaseMessage[]): EvalCase {
  const last = [...messages].reverse().find((m) => m.getType() === "human");
  const text = String(last?.content ?? "");
  const found = suite.cases.find(
    (c) => [...c.messages].reverse().find((m) => m.role === "user")?.content === text,
  );
  if (!found) throw new Error(`no case asks ${JSON.stringify(text)}`);
  return found;
}

/** A responder that answers every case right, except where `override` returns a reply for its id. */
export function oracle(
  suite: EvalSuite,
  override: (testCase: EvalCase) => FakeReply | undefined = () => undefined,
): Responder {
  return ({ messages }) => {
    const testCase = caseOf(suite, messages);
    return override(testCase) ?? reply(perfectCalls(testCase));
  };
}
