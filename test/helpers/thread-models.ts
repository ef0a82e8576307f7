import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { ScriptedChatModel } from "../../src/testing/fake-chat-models.js";

/** The latest question a prompt asks (the graph's own "[step: …]" notes left out). */
export function lastQuestion(messages: BaseMessage[]): string {
  const asked = messages.filter(
    (m) => m.getType() === "human" && !String(m.content).startsWith("[step:"),
  );
  return String(asked.at(-1)?.content ?? "");
}

/** Answers "answer to <the latest question>" after `delayMs`, long enough for runs to overlap. */
export function slowModel(delayMs: number): ScriptedChatModel {
  return new ScriptedChatModel(async (call) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return new AIMessage(`answer to ${lastQuestion(call.messages)}`);
  });
}

/** "type:content" per message, for comparing threads. */
export const messageLines = (messages: BaseMessage[]): string[] =>
  messages.map((m) => `${m.getType()}:${m.content}`);

/**
 * A model that answers "answer to <question>" only once `release()` is called: a run on it
 * holds its thread exactly as long as a test wants, whatever the machine's speed. `called`
 * resolves when the first call arrives, i.e. once the run holds its thread. It lets go by
 * itself after 20 s.
 */
export function heldModel(): {
  model: ScriptedChatModel;
  called: Promise<void>;
  release: () => void;
} {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  // A test that fails before releasing must not leave the run (and its locks) hanging.
  setTimeout(() => release(), 20_000).unref();
  let arrived!: () => void;
  const called = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const model = new ScriptedChatModel(async (call) => {
    arrived();
    await gate;
    return new AIMessage(`answer to ${lastQuestion(call.messages)}`);
  });
  return { model, called, release };
}
