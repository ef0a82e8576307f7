import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import {
  type EmittedCall,
  type EvalCase,
  type EvalSuite,
  referenceCall,
} from "../../src/eval/index.js";
import type { Script } from "../../src/testing/index.js";

// Scripts for the shared ScriptedChatModel (hearth/testing) that answer eval cases right or wrong.

/** An AIMessage, or an Error to throw from the model call. */
export type FakeReply = AIMessage | Error;

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

/** The right answer to a case: the first acceptable call set, first acceptable value of each argument. */
export function perfectCalls(testCase: EvalCase): EmittedCall[] {
  if (testCase.expected === "none") return [];
  if (testCase.expected === "any") return [{ name: testCase.tools[0].function.name, args: {} }];
  return testCase.expected[0].map(referenceCall);
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
): Script {
  return ({ messages }) => {
    const testCase = caseOf(suite, messages);
    return override(testCase) ?? reply(perfectCalls(testCase));
  };
}
