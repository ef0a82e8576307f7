import type { ToolChoiceOption } from "./options.js";

export interface NormalizedToolChoice {
  mode: "auto" | "required" | "none";
  /** The one tool the call must use (a named choice). */
  name?: string;
}

const ACCEPTED =
  '"auto", "required" (or "any"), "none", a tool name, { type: "function", function: { name } } (OpenAI) or { type: "tool", name } / { type: "any" | "auto" | "none" } (Anthropic)';

/** Every tool_choice spelling LangChain providers accept, read as one of Hearth's three modes. */
export function normalizeToolChoice(choice: ToolChoiceOption | undefined): NormalizedToolChoice {
  if (choice === undefined || choice === "auto") return { mode: "auto" };
  if (choice === "none") return { mode: "none" };
  if (choice === "required" || choice === "any") return { mode: "required" };
  if (typeof choice === "string") return { mode: "required", name: choice };
  const object = (typeof choice === "object" && choice !== null ? choice : {}) as {
    type?: unknown;
    name?: unknown;
    function?: { name?: unknown };
  };
  if (object.type === "function" && typeof object.function?.name === "string") {
    return { mode: "required", name: object.function.name };
  }
  if (object.type === "tool" && typeof object.name === "string") {
    return { mode: "required", name: object.name };
  }
  if (object.type === "any") return { mode: "required" };
  if (object.type === "auto") return { mode: "auto" };
  if (object.type === "none") return { mode: "none" };
  throw new Error(`Unsupported tool_choice ${JSON.stringify(choice)}: use ${ACCEPTED}.`);
}

/** A named choice must name a bound tool; checked when binding, not on the first call. */
export function checkToolChoice(
  choice: ToolChoiceOption | undefined,
  toolNames: readonly string[],
): NormalizedToolChoice {
  const normalized = normalizeToolChoice(choice);
  if (normalized.name !== undefined && !toolNames.includes(normalized.name)) {
    throw new Error(
      `tool_choice names "${normalized.name}", which is not among the bound tools (${toolNames.join(", ")}).`,
    );
  }
  return normalized;
}
