import { HumanMessage } from "@langchain/core/messages";

export const DEFAULT_SYSTEM_PROMPT = [
  "You are Hearth, an assistant that runs entirely on this computer.",
  "Use the tools when a question needs facts from the documents, arithmetic or the current time;",
  "otherwise answer directly. Base answers on tool results, keep them short, and say plainly",
  "when the tools did not give you what the question asks.",
].join(" ");

// Step instructions go AFTER the shared history, never into the system message: every model call
// of a turn then starts with the same tokens (system + history), so the model's KV cache of that
// prefix is reused instead of re-evaluated by each step.

export function routeNote(toolNames: string[]): HumanMessage {
  return new HumanMessage(
    `[step: route] Decide how to answer the latest question. Choose "tools" if it needs any of: ${toolNames.join(", ")}. Choose "direct" if the conversation already has what is needed.`,
  );
}

export function validateNote(): HumanMessage {
  return new HumanMessage(
    "[step: validate] Check the latest answer against the tool results above. grounded: every claim is supported by them. complete: every part of the question is answered. critique: what is unsupported or missing, empty if nothing.",
  );
}

export function retryNote(critique: string): HumanMessage {
  return new HumanMessage(
    `[step: revise] A check of your latest answer found: ${critique || "it is not grounded or not complete"}. Answer the question again and fix that; use the tools if you need more information.`,
  );
}

export function capNote(maxToolRounds: number): HumanMessage {
  return new HumanMessage(
    `[step: answer] You have used all ${maxToolRounds} tool rounds. Do not call tools. Answer now with what the tool results above show, and say what you could not find.`,
  );
}

/** Appended to the final answer when the tool-round cap forced it, so the reader knows. */
export function capNotice(maxToolRounds: number): string {
  return `(Stopped after ${maxToolRounds} tool ${maxToolRounds === 1 ? "round" : "rounds"}: this answer uses only the results gathered so far.)`;
}
