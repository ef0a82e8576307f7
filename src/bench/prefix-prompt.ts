import type { ChatRuntime } from "../models/chat/runtime.js";

const PARAGRAPH =
  "Answer from the tool results when a tool was called, cite the city and the time of the reading, keep units as the tool gave them, and say plainly when a value is missing instead of guessing. ";

/**
 * A system prompt whose rendered system + tools prefix is about `targetTokens` tokens on this
 * model: the shape of a real agent's instructions plus tool documentation.
 */
export function longSystemPrompt(runtime: ChatRuntime, targetTokens: number): string {
  const perParagraph = Math.max(1, runtime.model.tokenize(PARAGRAPH).length);
  const count = Math.max(1, Math.round(targetTokens / perParagraph));
  return `You are a careful assistant for a travel desk. ${Array.from({ length: count }, (_, index) => `Rule ${index + 1}: ${PARAGRAPH}`).join("")}`;
}
