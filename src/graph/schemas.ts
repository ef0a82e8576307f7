import { z } from "zod";

/**
 * The routing decision. The model fills it through `withStructuredOutput`, so a chat model that
 * enforces schemas by grammar (ChatNodeLlamaCpp) can only produce one of the two routes: the
 * graph never reads a route out of free text.
 */
export const RouteDecisionSchema = z
  .object({
    route: z
      .enum(["direct", "tools"])
      .describe('"tools" when answering needs a tool result, "direct" when it does not'),
    // Bounded so a grammar-constrained model cannot run on inside the string until maxTokens.
    reason: z.string().max(80).describe("one short sentence saying why"),
  })
  .describe("Decide how to answer the latest question.");

export type RouteDecision = z.infer<typeof RouteDecisionSchema>;

/** The validator's verdict on a draft answer, filled through `withStructuredOutput` like the route. */
export const VerdictSchema = z
  .object({
    grounded: z.boolean().describe("every claim in the answer is supported by the tool results"),
    complete: z.boolean().describe("the answer addresses every part of the question"),
    critique: z.string().max(160).describe("what is unsupported or missing; empty when nothing is"),
  })
  .describe("Judge the latest answer against the tool results.");

export type Verdict = z.infer<typeof VerdictSchema>;

export const ROUTE_TOOL_NAME = "route_decision";
export const VERDICT_TOOL_NAME = "validation_verdict";
