import { type BaseMessage, HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";

export const addTool = tool(async ({ a, b }) => String(a + b), {
  name: "add",
  description: "Adds two numbers.",
  schema: z.object({ a: z.number(), b: z.number() }),
});

export const lookupTool = tool(async ({ key }) => `value of ${key}`, {
  name: "lookup",
  description: "Looks a key up.",
  schema: z.object({ key: z.string() }),
});

export const threadConfig = (thread: string) => ({ configurable: { thread_id: thread } });

/** Type and text of each message, for comparing prompts. */
export function shape(messages: BaseMessage[]): string[] {
  return messages.map(
    (m) =>
      `${m.getType()}:${typeof m.content === "string" ? m.content : JSON.stringify(m.content)}`,
  );
}

export function isStepNote(message: BaseMessage): boolean {
  return message.getType() === "human" && String(message.content).startsWith("[step:");
}

/** A `lookup` tool that counts its runs and answers `result <n>`. */
export function countingLookup() {
  let runs = 0;
  const counting = tool(
    async () => {
      runs += 1;
      return `result ${runs}`;
    },
    { name: "lookup", description: "Looks up.", schema: z.object({ key: z.string() }) },
  );
  return { tool: counting, runs: () => runs };
}

/** A verdict that accepts the answer. */
export const pass = { grounded: true, complete: true, critique: "" };

/** A turn's input: one human question. */
export const ask = (text: string) => ({ messages: [new HumanMessage(text)] });
