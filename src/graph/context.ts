import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseMessage, isSystemMessage, type SystemMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { Runnable } from "@langchain/core/runnables";
import type { StructuredToolInterface } from "@langchain/core/tools";
import type { CompiledToolSet } from "../tools/index.js";
import type { StepCallOptions } from "./call-options.js";
import type { AgentStateType, QuestionCut } from "./state.js";
import type { TokenCounterChoice } from "./tokens.js";
import type { TimedToolNode } from "./tool-node.js";
import { type ContextBudget, selectHistory } from "./trimming.js";

/** A structured-output runnable created with `includeRaw: true`. */
export type StructuredRunnable = Runnable<BaseMessage[], { raw: BaseMessage; parsed: unknown }>;
export type MessageRunnable = Runnable<BaseMessage[], BaseMessage>;

/** Everything the nodes share, built once per compiled graph. */
export interface GraphContext {
  model: BaseChatModel;
  tools: StructuredToolInterface[];
  /** The tools' compiled schemas: every proposed call is checked against them before it runs. */
  compiledTools: CompiledToolSet;
  toolNode: TimedToolNode | null;
  /** Whether a call waits for a person's approval before it runs. */
  needsApproval: (call: ToolCall) => boolean;
  system: SystemMessage;
  maxToolRounds: number;
  validate: boolean;
  budget: ContextBudget;
  counter: TokenCounterChoice;
  /** Tool rounds are forced without asking the model first (`routing: "tools"`). */
  alwaysTools: boolean;
  /** Extra call options per step (thinking off, token caps) for models that take them. */
  callOptions: StepCallOptions;
  runnables: {
    route: StructuredRunnable | null;
    verdict: StructuredRunnable;
    /** Tools bound with tool_choice "required", "auto" and "none"; the plain model when there are no tools. */
    required: MessageRunnable;
    auto: MessageRunnable;
    none: MessageRunnable;
  };
}

export interface Prompt {
  messages: BaseMessage[];
  startId: string | null;
  trimmed: boolean;
  questionCut?: QuestionCut;
}

/**
 * The messages for one model call: the system message, the (trimmed) history, then the step's
 * note last. Every step of a turn shares the first two parts, so they form a stable prefix.
 * A system message the caller put first in the thread replaces the configured one.
 */
export async function buildPrompt(
  context: GraphContext,
  state: AgentStateType,
  note?: BaseMessage,
): Promise<Prompt> {
  const [first, ...rest] = state.messages;
  const ownSystem = first !== undefined && isSystemMessage(first);
  const system = ownSystem ? first : context.system;
  const history = ownSystem ? rest : state.messages;
  const window = await selectHistory({
    system,
    messages: history,
    startId: state.historyStartId,
    budget: context.budget,
    count: context.counter.count,
  });
  const messages = [system, ...window.messages];
  if (note) messages.push(note);
  return {
    messages,
    startId: window.startId,
    trimmed: window.trimmed,
    questionCut: window.questionCut,
  };
}

/**
 * The node's LangGraph config plus call options for the model (e.g. thinking off). `internal`
 * marks a structured step (route, validate): its JSON is kept out of LangGraph's "messages"
 * stream, so an app streaming tokens sees only answers and tool calls.
 */
export function callConfig<C extends { tags?: string[] }>(
  config: C,
  extra: Record<string, unknown>,
  options: { internal?: boolean } = {},
): C {
  const tags = options.internal ? [...(config.tags ?? []), "langsmith:nostream"] : config.tags;
  return { ...config, ...extra, ...(tags ? { tags } : {}) };
}
