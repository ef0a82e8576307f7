import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { SystemMessage } from "@langchain/core/messages";
import type { StructuredToolInterface } from "@langchain/core/tools";
import {
  type BaseCheckpointSaver,
  END,
  MemorySaver,
  START,
  StateGraph,
} from "@langchain/langgraph";
import { compileTools, duplicateToolName } from "../tools/index.js";
import { type ApproveToolsOption, approvalPolicy } from "./approval.js";
import { modelContextSize, stepCallOptions, structuredOutputOptions } from "./call-options.js";
import type { GraphContext, MessageRunnable, StructuredRunnable } from "./context.js";
import {
  AGENT_EDGES,
  afterRoute,
  afterValidate,
  createAfterAgent,
  ROUTE_EDGES,
  VALIDATE_EDGES,
} from "./edges.js";
import { checkGraphNumbers, DEFAULT_MAX_TOOL_ROUNDS, recursionLimitFor } from "./limits.js";
import { createAgentNode } from "./nodes/agent.js";
import { createRespondNode } from "./nodes/respond.js";
import { createRouteNode } from "./nodes/route.js";
import { createToolsNode } from "./nodes/tools.js";
import { createValidateNode } from "./nodes/validate.js";
import { DEFAULT_SYSTEM_PROMPT } from "./prompts.js";
import { defaultMaxToolResultChars } from "./result-cap.js";
import {
  ROUTE_TOOL_NAME,
  RouteDecisionSchema,
  VERDICT_TOOL_NAME,
  VerdictSchema,
} from "./schemas.js";
import { AgentState } from "./state.js";
import { DEFAULT_THREAD_WAIT_MS, threadLockFor } from "./thread-lock.js";
import { lockThreadRuns } from "./thread-runs.js";
import { approximateTokens, chooseTokenCounter, toolDefinitionText } from "./tokens.js";
import { DEFAULT_TOOL_TIMEOUT_MS, TimedToolNode } from "./tool-node.js";
import { contextBudget } from "./trimming.js";

export { DEFAULT_MAX_TOOL_ROUNDS } from "./limits.js";

export interface AgentGraphOptions {
  /** Any LangChain chat model with `bindTools` and `withStructuredOutput` (ChatNodeLlamaCpp, ChatOpenAI, fakes…). */
  model: BaseChatModel;
  /** LangChain tools (Zod schemas); `defineTool`/`builtinTools` from Hearth or LangChain's `tool()`. */
  tools?: StructuredToolInterface[];
  /** Keeps threads between calls. MemorySaver by default; `false` compiles without one (Studio supplies its own). */
  checkpointer?: BaseCheckpointSaver | false;
  /**
   * How long a run waits for another run on the same thread to finish before failing with a
   * `ThreadBusyError`. Runs on one thread always take turns (in this process; across processes
   * too with a store from `openCheckpointer`). Default 120 s.
   */
  threadWaitMs?: number;
  /** Tool rounds per turn before the graph makes the model answer: 1 to 100, default 3. */
  maxToolRounds?: number;
  /** Check answers that used tools, with one retry. Default true. */
  validate?: boolean;
  /**
   * The model's context in tokens; the history is trimmed to fit. Default: the model's own
   * `contextSize` when it has one (ChatNodeLlamaCpp does), else 8192. From 512 to 32768.
   */
  contextSize?: number;
  /**
   * Per tool call, in ms (1 to 2147483647, default 30 000); a call running longer becomes an
   * error ToolMessage.
   */
  toolTimeoutMs?: number;
  /**
   * Characters of one tool result kept in the history (at least 200; default: as many characters
   * as the context has tokens, about a quarter of it, so 8192 for an 8K context). A longer
   * result is cut with a marker that tells the model its size; the thread keeps only the cut
   * text, and the app gets the whole result through LangChain's `handleToolEnd` callback.
   */
  maxToolResultChars?: number;
  /**
   * Calls that wait for a person before they run, besides those of tools defined with
   * `needsApproval: true`: tool names, or a function deciding per call. The graph pauses with a
   * LangGraph interrupt carrying an `ApprovalRequest`; resume with
   * `new Command({ resume: { decisions: [...] } })` (approve, edit or reject per call).
   */
  approveTools?: ApproveToolsOption;
  systemPrompt?: string;
  /**
   * "model" (default): the model decides per question whether tools are needed. "tools": skip
   * that call and always start with a forced tool round (e.g. a RAG app that always searches).
   */
  routing?: "model" | "tools";
  /**
   * Let thinking models think during routing, tool calls and validation. Default false: those
   * steps are short structured decisions, and thoughts would only add tokens before them.
   */
  thinkingForRouting?: boolean;
}

/**
 * Builds Hearth's agent: route → agent ⇄ tools (at most `maxToolRounds`) → validate → respond,
 * compiled with a checkpointer so `graph.invoke(input, { configurable: { thread_id } })` keeps
 * the conversation.
 */
export function createAgentGraph(options: AgentGraphOptions) {
  checkGraphNumbers(options);
  const tools = options.tools ?? [];
  const maxToolRounds = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS;
  if (options.routing === "tools" && (options.tools ?? []).length === 0) {
    throw new Error('routing "tools" needs at least one tool; pass tools or use routing "model".');
  }
  const threadWaitMs = options.threadWaitMs ?? DEFAULT_THREAD_WAIT_MS;
  const validate = options.validate ?? true;
  const { model } = options;
  if (typeof model.bindTools !== "function") {
    throw new TypeError(
      `The chat model "${model.getName()}" has no bindTools(); the agent graph needs a model that supports tool calling.`,
    );
  }
  const duplicate = duplicateToolName(tools.map((tool) => tool.name));
  if (duplicate !== undefined) {
    throw new Error(`Two tools are named "${duplicate}"; names must be unique.`);
  }
  const plain = model as unknown as MessageRunnable;
  const bind = (toolChoice: string) =>
    model.bindTools!(tools, { tool_choice: toolChoice }) as unknown as MessageRunnable;
  const structured = (schema: typeof RouteDecisionSchema | typeof VerdictSchema, name: string) =>
    model.withStructuredOutput(schema, {
      name,
      includeRaw: true,
      ...structuredOutputOptions(model),
    }) as unknown as StructuredRunnable;
  // Tool definitions are rendered into the prompt by most chat templates: count them against the budget.
  const toolDocsTokens = approximateTokens(tools.map(toolDefinitionText).join("\n"));

  let budget = contextBudget(options.contextSize ?? modelContextSize(model), toolDocsTokens);
  const context: GraphContext = {
    model,
    tools,
    compiledTools: compileTools(tools),
    toolNode:
      tools.length > 0
        ? new TimedToolNode(
            tools,
            options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
            options.maxToolResultChars ?? defaultMaxToolResultChars(budget.contextSize),
          )
        : null,
    needsApproval: approvalPolicy(tools, options.approveTools),
    system: new SystemMessage(options.systemPrompt ?? DEFAULT_SYSTEM_PROMPT),
    maxToolRounds,
    validate,
    // A ChatNodeLlamaCpp built from a file learns its context size when it loads, and a file
    // trained for less than was asked caps it: re-read the size the model states at each
    // prompt, so history is trimmed to the context it really runs with.
    get budget() {
      if (options.contextSize !== undefined) return budget;
      const size = modelContextSize(model);
      if (size !== undefined && size !== budget.contextSize) {
        budget = contextBudget(size, toolDocsTokens);
      }
      return budget;
    },
    counter: chooseTokenCounter(model),
    alwaysTools: options.routing === "tools",
    callOptions: stepCallOptions(model, { tools, thinkingForRouting: options.thinkingForRouting }),
    runnables: {
      route: tools.length > 0 ? structured(RouteDecisionSchema, ROUTE_TOOL_NAME) : null,
      verdict: structured(VerdictSchema, VERDICT_TOOL_NAME),
      required: tools.length > 0 ? bind("required") : plain,
      auto: tools.length > 0 ? bind("auto") : plain,
      none: tools.length > 0 ? bind("none") : plain,
    },
  };

  const builder = new StateGraph(AgentState)
    .addNode("route", createRouteNode(context))
    .addNode("agent", createAgentNode(context))
    .addNode("tools", createToolsNode(context))
    .addNode("validate", createValidateNode(context))
    .addNode("respond", createRespondNode(context))
    .addEdge(START, "route")
    .addConditionalEdges("route", afterRoute, ROUTE_EDGES)
    .addConditionalEdges("agent", createAfterAgent({ maxToolRounds, validate }), AGENT_EDGES)
    .addEdge("tools", "agent")
    .addConditionalEdges("validate", afterValidate, VALIDATE_EDGES)
    .addEdge("respond", END);

  const checkpointer =
    options.checkpointer === undefined ? new MemorySaver() : options.checkpointer;
  // The default for every run; a caller's own recursionLimit still wins (configs merge).
  const graph = builder
    .compile({
      checkpointer: checkpointer === false ? undefined : checkpointer,
      name: "hearth-agent",
    })
    .withConfig({ recursionLimit: recursionLimitFor(maxToolRounds) });
  return checkpointer === false
    ? graph
    : lockThreadRuns(graph, threadLockFor(checkpointer), threadWaitMs);
}

export type AgentGraph = ReturnType<typeof createAgentGraph>;
