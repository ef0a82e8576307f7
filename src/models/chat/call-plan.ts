import type { BaseMessage } from "@langchain/core/messages";
import type { ChatHistoryItem, ChatModelFunctions, Llama } from "node-llama-cpp";
import {
  type CompiledToolSchema,
  type CompiledToolSet,
  compileTool,
  compileTools,
  getJsonGrammar,
  getToolCallGrammar,
  type JsonGrammar,
  type JsonSchema,
  type ToolCallGrammar,
} from "../../tools/index.js";
import { getOrCreate } from "../../util/get-or-create.js";
import { messagesToChatHistory } from "./history.js";
import { canJumpForward } from "./jump-forward.js";
import type { ChatNodeLlamaCppCallOptions } from "./options.js";
import { checkToolChoice } from "./tool-choice.js";

/** What one call will do: its prompt, how its output is constrained, and how it is decoded. */
export interface CallPlan {
  history: ChatHistoryItem[];
  /** The prefix the sequence pool matches cached KV state by. */
  fingerprint: string[];
  tools?: CompiledToolSet;
  /** Tools the model may call by itself (tool_choice "auto"). */
  functions?: ChatModelFunctions;
  /** With `functions`: calls allowed in one turn (OpenAI's `parallel_tool_calls: false` is 1). */
  maxParallelCalls?: number;
  /** Forced tool calls: the output is `{ name, arguments }` under this grammar. */
  callGrammar?: ToolCallGrammar;
  /** Forced single call decoded jump-forward (see jump-forward.ts), limited to these tools. */
  jumpForward?: { toolNames?: string[] };
  /** Structured output: the output is this schema's JSON. */
  outputGrammar?: JsonGrammar;
  /** The caller's JSON Schema of the structured output (what a closing at the budget must satisfy). */
  outputJsonSchema?: JsonSchema;
  /** Render the tools' docs but let the model write only the (constrained) response. */
  documentOnly: boolean;
}

export type ResponseFormat = NonNullable<ChatNodeLlamaCppCallOptions["response_format"]>;

/** Stable text for a tool set: part of the prefix fingerprint (the docs render into the system block) and of the response-cache key. */
const toolSetKeys = new WeakMap<CompiledToolSet, string>();
export const toolSetKey = (set: CompiledToolSet): string =>
  getOrCreate(toolSetKeys, set, () => JSON.stringify(set.functions));

/** A `response_format` schema compiled like a tool's, so it gets the same normalisation and checks. */
const compiledFormats = new WeakMap<object, CompiledToolSchema>();
export const compileOutputSchema = (format: ResponseFormat): CompiledToolSchema =>
  getOrCreate(compiledFormats, format, () =>
    compileTool({ name: format.name ?? "output", schema: format.schema }),
  );

/** Registers an already compiled schema for its format (withStructuredOutput compiles at bind time). */
export function rememberOutputSchema(format: ResponseFormat, compiled: CompiledToolSchema): void {
  compiledFormats.set(format, compiled);
}

export async function planCall(
  messages: BaseMessage[],
  options: ChatNodeLlamaCppCallOptions,
  llama: Llama,
  settings: { jumpForward: boolean },
): Promise<CallPlan> {
  const tools = options.tools && options.tools.length > 0 ? compileTools(options.tools) : undefined;
  const history = messagesToChatHistory(messages, {
    toModelName: (name) => tools?.modelNameFromTool(name) ?? name,
  });
  const fingerprint = [
    tools ? toolSetKey(tools) : "",
    ...history.slice(0, -1).map((item) => JSON.stringify(item)),
  ];
  const plan: CallPlan = { history, fingerprint, tools, documentOnly: false };
  if (options.response_format) {
    const compiled = compileOutputSchema(options.response_format);
    plan.outputGrammar = await getJsonGrammar(llama, compiled.grammarSchema);
    plan.outputJsonSchema = compiled.jsonSchema;
    plan.documentOnly = true;
    return plan;
  }
  if (!tools) return plan;
  const choice = checkToolChoice(
    options.tool_choice,
    tools.tools.map((tool) => tool.name),
  );
  if (choice.mode === "auto") {
    plan.functions = tools.functions;
    plan.maxParallelCalls = options.parallel_tool_calls === false ? 1 : 8;
  } else if (choice.mode === "none") {
    plan.documentOnly = true;
  } else {
    plan.callGrammar = await getToolCallGrammar(llama, tools, {
      toolNames: choice.name ? [choice.name] : undefined,
      parallel: options.parallel_tool_calls === true,
    });
    if (settings.jumpForward && canJumpForward(tools, options.parallel_tool_calls === true)) {
      plan.jumpForward = { toolNames: choice.name ? [choice.name] : undefined };
    }
    plan.documentOnly = true;
  }
  return plan;
}
