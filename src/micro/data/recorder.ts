import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import type { ChatHistoryItem } from "node-llama-cpp";
import type { CallPlan } from "../../models/chat/call-plan.js";
import { ChatNodeLlamaCpp } from "../../models/chat/chat-model.js";
import { fitPrompt } from "../../models/chat/context-fit.js";
import type { Generation, ResolvedSampling } from "../../models/chat/generate.js";
import { callEnvelope } from "../../models/chat/jump-forward.js";
import type { ChatNodeLlamaCppCallOptions } from "../../models/chat/options.js";
import {
  callChatWrapper,
  type RenderedPrompt,
  renderCallPrompt,
} from "../../models/chat/render-prompt.js";
import type { ChatRuntime } from "../../models/chat/runtime.js";
import type { OracleOutput, Step, TurnOracle } from "./oracle.js";
import {
  forcedCallTarget,
  freeTextTarget,
  structuredJson,
  structuredTarget,
  type Target,
} from "./targets.js";

export interface RecordedCall {
  step: Step;
  prompt: RenderedPrompt;
  target: Target;
  /** The LangChain call itself, when `keepCalls` is set (tests render it again through renderPrompt). */
  call?: { messages: BaseMessage[]; options: Partial<ChatNodeLlamaCppCallOptions> };
}

const RETRY_MARK = "[step: revise]";

/** Which graph step a planned call is, from what the graph bound to it. */
export function stepOf(plan: CallPlan): Step {
  if (plan.outputJsonSchema) {
    const properties = Object.keys(
      (plan.outputJsonSchema as { properties?: object }).properties ?? {},
    );
    if (properties.includes("route")) return "route";
    if (properties.includes("grounded")) return "verdict";
    throw new Error(`An unknown structured output was asked for: ${properties.join(", ")}`);
  }
  if (plan.callGrammar) return "call";
  if (plan.functions) {
    // The history ends with the model turn to answer in (empty after a user message).
    const items = plan.history;
    const open = items.at(-1);
    const last = open?.type === "model" && open.response.length === 0 ? items.at(-2) : open;
    return last?.type === "user" && last.text.startsWith(RETRY_MARK) ? "retry" : "answer";
  }
  return "direct";
}

/** The result of the latest tool call in the history, as the model sees it. */
export function latestToolResult(history: ChatHistoryItem[]): string | undefined {
  for (let index = history.length - 1; index >= 0; index--) {
    const item = history[index];
    if (item.type !== "model") continue;
    for (let part = item.response.length - 1; part >= 0; part--) {
      const segment = item.response[part];
      if (typeof segment === "object" && segment.type === "functionCall") {
        return typeof segment.result === "string" ? segment.result : JSON.stringify(segment.result);
      }
    }
  }
  return undefined;
}

/**
 * A ChatNodeLlamaCpp that answers from an oracle instead of sampling. The agent graph binds
 * tools and structured output to it exactly as to the real model, every call is planned and
 * its reply read back by the real code; only the decoding is replaced: the call's prompt
 * (renderPrompt's tokens) and the tokens the real decode would write for the oracle's output
 * are recorded.
 */
export class RecordingChatModel extends ChatNodeLlamaCpp {
  turn?: TurnOracle;
  readonly calls: RecordedCall[] = [];
  keepCalls = false;
  private pendingCall?: RecordedCall["call"];

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    if (this.keepCalls) this.pendingCall = { messages, options };
    return super._generate(messages, options, runManager);
  }

  protected override async runCall(
    runtime: ChatRuntime,
    plan: CallPlan,
    sampling: ResolvedSampling,
  ): Promise<Generation> {
    const turn = this.turn;
    if (!turn) throw new Error("RecordingChatModel: set `turn` before the graph runs.");
    // A prompt the real call could not fit fails here the same way.
    fitPrompt({
      model: runtime.model,
      chatWrapper: callChatWrapper(runtime, plan, sampling.thinking),
      history: plan.history,
      functions: plan.functions,
      contextSize: runtime.contextSize,
      maxTokens: sampling.maxTokens,
    });
    const prompt = renderCallPrompt(runtime, plan, sampling);
    const step = stepOf(plan);
    const output = turn.respond(step, latestToolResult(plan.history));
    const { text, target } = this.targetOf(runtime, plan, sampling, output, prompt.decoding);
    this.calls.push({ step, prompt, target, call: this.pendingCall });
    this.pendingCall = undefined;
    const forced = output.kind === "call";
    return {
      text,
      thoughts: "",
      functionCalls: [],
      stopReason: "eogToken",
      closedAtBudget: false,
      decoding: forced ? "jump-forward" : "llama-chat",
      sequence: 0,
      promptTokens: prompt.tokens.length,
      evaluatedPromptTokens: prompt.tokens.length,
      outputTokens: target.tokens.length,
      sampledTokens: target.tokens.length,
      fedTokens: 0,
      promptFormat: runtime.promptFormat,
      timings: { queueMs: 0, totalMs: 0 },
    };
  }

  private targetOf(
    runtime: ChatRuntime,
    plan: CallPlan,
    sampling: ResolvedSampling,
    output: OracleOutput,
    decoding: RenderedPrompt["decoding"],
  ): { text: string; target: Target } {
    const { model } = runtime;
    if (output.kind === "json") {
      if (!plan.outputJsonSchema)
        throw new Error("The oracle gave JSON to a call without a schema.");
      const order = Object.keys(
        (plan.outputJsonSchema as { properties?: object }).properties ?? {},
      );
      const json = structuredJson(output.value, order);
      return { text: json, target: structuredTarget(model, json) };
    }
    if (output.kind === "call") {
      if (decoding !== "jump-forward" || !plan.jumpForward || !plan.tools) {
        throw new Error(
          "RecordingChatModel writes forced calls as jump-forward does, and this call would not be decoded so: leave jumpForward on, and give the context room for the prompt plus the call's maxTokens.",
        );
      }
      const names = plan.jumpForward.toolNames;
      const candidates = names
        ? plan.tools.tools.filter((tool) => names.includes(tool.name))
        : plan.tools.tools;
      const chosen = candidates.find((tool) => tool.name === output.name);
      if (!chosen)
        throw new Error(`The oracle called ${output.name}, which this call does not offer.`);
      const envelope = callEnvelope(callChatWrapper(runtime, plan, sampling.thinking));
      const { call, target } = forcedCallTarget(model, envelope, candidates, chosen, output.args);
      return { text: call, target };
    }
    return { text: output.text, target: freeTextTarget(model, output.text) };
  }
}
