import { RemoveMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { buildPrompt, callConfig, type GraphContext } from "../context.js";
import { verdictPassed } from "../edges.js";
import { contentText, isDraft, lastMessage, summarizeToolCalls, toAIMessage } from "../messages.js";
import { elapsedSince, recordStep, usageOf } from "../metrics.js";
import { capNote, retryNote } from "../prompts.js";
import type { AgentMode, AgentStateType, AgentStateUpdate } from "../state.js";

export function agentMode(state: AgentStateType, maxToolRounds: number): AgentMode {
  const last = lastMessage(state.messages);
  if (isDraft(last) && state.validation && !verdictPassed(state.validation)) return "retry";
  if (state.toolRounds >= maxToolRounds) return "capped";
  const source = state.routing?.source;
  if (state.toolRounds === 0 && (source === "model" || source === "config")) return "first";
  return "continue";
}

/**
 * The model with the tools bound proposes calls or answers. After a "tools" route the first
 * call is forced (tool_choice "required"), so the decision already made is not made again;
 * once the rounds are used up the tools are bound with tool_choice "none" and any call the
 * model still proposes is dropped.
 */
export function createAgentNode(context: GraphContext) {
  const { runnables, maxToolRounds } = context;
  return async function agent(
    state: AgentStateType,
    config: LangGraphRunnableConfig,
  ): Promise<AgentStateUpdate> {
    const started = performance.now();
    const mode = agentMode(state, maxToolRounds);
    const capReached = state.toolRounds >= maxToolRounds;
    const rejected = mode === "retry" ? lastMessage(state.messages) : undefined;
    const note =
      mode === "retry"
        ? retryNote(state.validation?.critique ?? "")
        : mode === "capped"
          ? capNote(maxToolRounds)
          : undefined;
    const runnable =
      capReached || mode === "capped"
        ? runnables.none
        : mode === "first"
          ? runnables.required
          : runnables.auto;
    const prompt = await buildPrompt(context, state, note);
    const reply = await runnable.invoke(
      prompt.messages,
      callConfig(config, context.callOptions.agent),
    );
    const message = toAIMessage(reply, { dropToolCalls: capReached });
    const step = {
      node: "agent" as const,
      ms: elapsedSince(started),
      usage: usageOf(reply),
      round: state.toolRounds,
      mode,
      toolCalls: summarizeToolCalls(message),
      content: contentText(message),
    };
    // A rejected draft leaves the thread: later turns should see only the answer given.
    const messages = rejected?.id ? [new RemoveMessage({ id: rejected.id }), message] : [message];
    return {
      messages,
      historyStartId: prompt.startId,
      ...recordStep(state, step, { modelCalls: 1 }),
    };
  };
}
