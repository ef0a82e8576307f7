import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { buildPrompt, callConfig, type GraphContext } from "../context.js";
import { elapsedSince, recordStep, usageOf } from "../metrics.js";
import { routeNote } from "../prompts.js";
import { RouteDecisionSchema } from "../schemas.js";
import type { AgentStateType, AgentStateUpdate, RouteState } from "../state.js";
import { invokeStructured } from "../structured.js";

/**
 * First node of every turn: resets the turn's fields and makes the one routing decision.
 * With no tools there is nothing to decide and no model call is made.
 */
export function createRouteNode(context: GraphContext) {
  return async function route(
    state: AgentStateType,
    config: LangGraphRunnableConfig,
  ): Promise<AgentStateUpdate> {
    const started = performance.now();
    let decision: RouteState;
    let usage: ReturnType<typeof usageOf>;
    let startId = state.historyStartId;
    let calledModel = false;
    let questionCut = null;
    const runnable = context.runnables.route;
    if (runnable === null || context.alwaysTools) {
      // No routing call, but the turn still says whether its question had to be cut.
      questionCut = (await buildPrompt(context, state)).questionCut ?? null;
    }
    if (runnable === null) {
      decision = { route: "direct", reason: "no tools are available", source: "no-tools" };
    } else if (context.alwaysTools) {
      decision = {
        route: "tools",
        reason: 'the graph is set to routing "tools"',
        source: "config",
      };
    } else {
      const prompt = await buildPrompt(context, state, routeNote(context.tools.map((t) => t.name)));
      startId = prompt.startId;
      questionCut = prompt.questionCut ?? null;
      calledModel = true;
      const output = await invokeStructured(
        runnable,
        prompt.messages,
        callConfig(config, context.callOptions.route, { internal: true }),
      );
      usage = usageOf(output.raw);
      const parsed = RouteDecisionSchema.safeParse(output.parsed);
      decision = parsed.success
        ? { ...parsed.data, source: "model" }
        : {
            route: "tools",
            reason: `the routing decision could not be read (${output.error ?? "no valid decision"}); the model chooses freely`,
            source: "fallback",
          };
    }
    const step = { node: "route" as const, ms: elapsedSince(started), usage, route: decision };
    return {
      routing: decision,
      toolRounds: 0,
      validation: null,
      stopReason: null,
      historyStartId: startId,
      questionCut,
      ...recordStep(state, step, { fresh: true, modelCalls: calledModel ? 1 : 0 }),
    };
  };
}
