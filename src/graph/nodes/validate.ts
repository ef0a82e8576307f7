import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { buildPrompt, callConfig, type GraphContext } from "../context.js";
import { elapsedSince, recordStep, usageOf } from "../metrics.js";
import { validateNote } from "../prompts.js";
import { VerdictSchema } from "../schemas.js";
import type { AgentStateType, AgentStateUpdate, ValidationState } from "../state.js";
import { invokeStructured } from "../structured.js";

/** Judges the latest draft against the tool results with one structured (grammar-bound) verdict. */
export function createValidateNode(context: GraphContext) {
  return async function validate(
    state: AgentStateType,
    config: LangGraphRunnableConfig,
  ): Promise<AgentStateUpdate> {
    const started = performance.now();
    const attempts = (state.validation?.attempts ?? 0) + 1;
    const prompt = await buildPrompt(context, state, validateNote());
    const output = await invokeStructured(
      context.runnables.verdict,
      prompt.messages,
      callConfig(config, context.callOptions.validate, { internal: true }),
    );
    const parsed = VerdictSchema.safeParse(output.parsed);
    const validation: ValidationState = parsed.success
      ? { ...parsed.data, attempts, readable: true }
      : {
          grounded: false,
          complete: false,
          critique: `the verdict could not be read (${output.error ?? "no valid verdict"})`,
          attempts,
          readable: false,
        };
    const step = {
      node: "validate" as const,
      ms: elapsedSince(started),
      usage: usageOf(output.raw),
      verdict: validation,
    };
    return {
      validation,
      historyStartId: prompt.startId,
      ...recordStep(state, step, { modelCalls: 1 }),
    };
  };
}
