import { AIMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { buildPrompt, callConfig, type GraphContext } from "../context.js";
import { appendText, isDraft, lastMessage, toAIMessage } from "../messages.js";
import { elapsedSince, recordStep, usageOf } from "../metrics.js";
import { capNotice } from "../prompts.js";
import type { AgentStateType, AgentStateUpdate, StopReason } from "../state.js";

/**
 * Produces the final AIMessage. After a "direct" route it generates the answer (tools bound with
 * tool_choice "none", so the prompt prefix matches the route call); otherwise it finalises the
 * agent's draft, adding a notice when the tool-round cap forced the answer.
 */
export function createRespondNode(context: GraphContext) {
  return async function respond(
    state: AgentStateType,
    config: LangGraphRunnableConfig,
  ): Promise<AgentStateUpdate> {
    const started = performance.now();
    const last = lastMessage(state.messages);
    const stopReason: StopReason =
      state.toolRounds >= context.maxToolRounds ? "tool_round_cap" : "answered";
    if (isDraft(last)) {
      const messages =
        stopReason === "tool_round_cap"
          ? [
              new AIMessage({
                id: last.id,
                content: appendText(last.content, capNotice(context.maxToolRounds)),
                usage_metadata: last.usage_metadata,
                response_metadata: last.response_metadata,
              }),
            ]
          : [];
      const step = {
        node: "respond" as const,
        ms: elapsedSince(started),
        stopReason,
        generated: false,
      };
      return { messages, stopReason, ...recordStep(state, step) };
    }
    const prompt = await buildPrompt(context, state);
    const reply = await context.runnables.none.invoke(
      prompt.messages,
      callConfig(config, context.callOptions.answer),
    );
    const step = {
      node: "respond" as const,
      ms: elapsedSince(started),
      usage: usageOf(reply),
      stopReason,
      generated: true,
    };
    return {
      messages: [toAIMessage(reply, { dropToolCalls: true })],
      stopReason,
      historyStartId: prompt.startId,
      ...recordStep(state, step, { modelCalls: 1 }),
    };
  };
}
