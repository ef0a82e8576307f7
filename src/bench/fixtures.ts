import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { Runnable } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { ROUTE_TOOL_NAME, RouteDecisionSchema } from "../graph/index.js";
import { ChatNodeLlamaCpp, type ChatNodeLlamaCppCallOptions } from "../models/chat/index.js";

export const CITIES = ["Paris", "Berlin", "Tokyo", "Lima"] as const;

/**
 * The graph benchmarks' tool: every argument is closed (an enum), so a random-weight model
 * writes a complete call in a bounded number of tokens, and the tool itself costs nothing:
 * what is measured is the model and the orchestration around it.
 */
export const weatherTool = tool(
  async ({ city }) => `It is 18 °C and sunny in ${city}, with a light wind from the west.`,
  {
    name: "weather",
    description: "Current weather for a city.",
    schema: z.object({ city: z.enum(CITIES) }),
  },
);

/** P3's tools: a free string, an enum and a second tool, like a typical tool set. */
export const grammarBenchTools = [
  tool(async () => "sunny", {
    name: "get_weather",
    description: "Current weather for a city.",
    schema: z.object({
      city: z.string().max(40).describe("city name"),
      unit: z.enum(["celsius", "fahrenheit"]),
    }),
  }),
  tool(async () => "no documents", {
    name: "search_documents",
    description: "Search the user's documents.",
    schema: z.object({ query: z.string().max(60) }),
  }),
];

const PLACES = [
  "Paris",
  "Berlin",
  "Tokyo",
  "Lima",
  "Oslo",
  "Cairo",
  "Quito",
  "Perth",
  "Seoul",
  "Dakar",
  "Lyon",
  "Porto",
  "Hanoi",
  "Accra",
  "Bergen",
  "Cusco",
];

/** Distinct questions: distinct prompts, so runs do not share a cached prompt by accident. */
export function questions(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, index) => {
    const place = PLACES[(offset + index) % PLACES.length];
    const round = Math.floor((offset + index) / PLACES.length);
    return `What is the weather like in ${place} right now?${round > 0 ? ` (${round + 1})` : ""}`;
  });
}

export const CONVERSATION = [
  "What is the weather in Paris?",
  "And in Berlin?",
  "Which of the two is warmer?",
  "Should I pack an umbrella for Tokyo?",
  "Thanks. Summarise what you told me.",
];

/** The route decision with its choice fixed to "tools": same fields, same prompt. */
const ToolsRouteSchema = RouteDecisionSchema.extend({ route: z.literal("tools") });

/**
 * ChatNodeLlamaCpp for the graph benchmarks. A random-weight model's decisions are noise, so
 * the two decisions that pick the graph's path are fixed: the route grammar admits only
 * "tools", and the graph's `tool_choice: "auto"` steps are made `"required"`. Neither changes
 * the prompt (tools are documented the same way either way; a response schema is not rendered
 * in it), only what the grammar lets the model write, so the timings and prompt-reuse figures
 * are those of a model that chose this path. The graph's round cap still ends the turn.
 */
export class ToolEagerChat extends ChatNodeLlamaCpp {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors BaseChatModel.withStructuredOutput.
  override withStructuredOutput(schema: any, config?: any): any {
    const fixed = config?.name === ROUTE_TOOL_NAME ? ToolsRouteSchema : schema;
    return super.withStructuredOutput(fixed, config);
  }

  override bindTools(
    // biome-ignore lint/suspicious/noExplicitAny: mirrors BaseChatModel.bindTools.
    tools: any[],
    kwargs?: Partial<ChatNodeLlamaCppCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatNodeLlamaCppCallOptions> {
    const choice = kwargs?.tool_choice === "auto" ? "required" : kwargs?.tool_choice;
    return super.bindTools(tools, { ...kwargs, tool_choice: choice });
  }
}
