import type { ToolDefinition } from "@langchain/core/language_models/base";

/** Categories a case can belong to. The first six mirror BFCL's; `relevance` comes from BFCL's live_relevance files. */
export const EVAL_CATEGORIES = [
  "simple",
  "multiple",
  "parallel",
  "parallel_multiple",
  "irrelevance",
  "relevance",
  "multi_turn",
  "graph",
] as const;
export type EvalCategory = (typeof EVAL_CATEGORIES)[number];

/** A JSON Schema object as found in OpenAI-format function definitions. */
export type JsonSchema = Record<string, unknown>;

/** OpenAI-format tool definition: `{ type: "function", function: { name, description, parameters } }`. */
export type EvalTool = ToolDefinition;

/** A call made in an earlier turn of a conversation (multi_turn cases). */
export interface SuiteToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type SuiteMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; tool_calls?: SuiteToolCall[] }
  | { role: "tool"; content: string; tool_call_id?: string; name?: string };

/**
 * One acceptable call. Each argument lists its acceptable values (BFCL's possible_answer convention):
 * `""` in the list means the argument may be omitted; an object-typed argument lists objects whose
 * keys again map to lists of acceptable values.
 */
export interface ExpectedCall {
  name: string;
  arguments: Record<string, unknown[]>;
}

/**
 * - `"none"`: no call is the right answer (irrelevance).
 * - `"any"`: any call to one of the offered tools is right (BFCL relevance).
 * - otherwise a list of acceptable call sets; the answer is right when it matches one set, in any order.
 */
export type Expected = "none" | "any" | ExpectedCall[][];

/** Checks that only make sense for a full agent-graph run. */
export interface GraphExpectation {
  /** The route the graph should take; derived from `expected` when absent. */
  route?: "tools" | "direct";
  /** Each string must appear (case-insensitively) in the final answer. */
  answerIncludes?: string[];
}

export interface EvalCase {
  id: string;
  category: EvalCategory;
  messages: SuiteMessage[];
  tools: EvalTool[];
  expected: Expected;
  graph?: GraphExpectation;
  /** Canned tool outputs by tool name, returned by the stub tools in graph mode. */
  toolResults?: Record<string, unknown>;
  /** Free text; shown nowhere but kept for people reading the suite. */
  note?: string;
}

export interface EvalSuite {
  name: string;
  /** Where the cases came from: `builtin` or a file path. */
  source: string;
  cases: EvalCase[];
}
