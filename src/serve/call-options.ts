import type { ToolDefinition } from "@langchain/core/language_models/base";
import type { ChatNodeLlamaCppCallOptions } from "../models/chat/index.js";
import {
  type CompiledToolSchema,
  compileTool,
  compileTools,
  ToolDefinitionError,
} from "../tools/index.js";
import { badRequest } from "./errors.js";
import type { JsonInterner } from "./interner.js";
import type { ChatCompletionRequest } from "./request.js";

/** OpenAI's documented defaults, which clients rely on when they leave a field out. */
const OPENAI_DEFAULT_TEMPERATURE = 1;

export interface PlannedCall {
  /** The request's tools (interned), for `bindTools`; empty when there are none. */
  tools: ToolDefinition[];
  /** Everything else ChatNodeLlamaCpp takes per call. */
  options: Partial<ChatNodeLlamaCppCallOptions>;
  /** With `response_format`: the compiled schema the finished output is checked against. */
  outputSchema?: CompiledToolSchema;
}

/**
 * A validated request → ChatNodeLlamaCpp's call options. Tools and output schemas the grammar
 * cannot express are refused here with the compiler's message (400), before a sequence is taken.
 */
export function planCall(
  request: ChatCompletionRequest,
  options: { interner: JsonInterner; defaultMaxTokens?: number },
): PlannedCall {
  // `strict` is not passed on: every call is grammar-enforced, strict or not.
  const tools = (request.tools ?? []).map(({ function: fn }) =>
    options.interner.intern({
      type: "function" as const,
      function: {
        name: fn.name,
        description: fn.description ?? "",
        parameters: fn.parameters ?? { type: "object", properties: {} },
      },
    }),
  );
  const stop = typeof request.stop === "string" ? [request.stop] : (request.stop ?? undefined);
  const call: Partial<ChatNodeLlamaCppCallOptions> = {
    temperature: request.temperature ?? OPENAI_DEFAULT_TEMPERATURE,
    topP: request.top_p ?? undefined,
    seed: request.seed ?? undefined,
    maxTokens: request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens,
    stop: stop && stop.length > 0 ? stop : undefined,
  };
  if (tools.length > 0) {
    try {
      compileTools(tools);
    } catch (error) {
      if (error instanceof ToolDefinitionError) throw badRequest(error.message, "tools");
      throw error;
    }
    call.tool_choice = request.tool_choice ?? "auto";
    // OpenAI's default is true: a forced choice may then return several calls.
    call.parallel_tool_calls = request.parallel_tool_calls ?? true;
  }
  const format = request.response_format;
  let outputSchema: CompiledToolSchema | undefined;
  if (format && format.type !== "text") {
    const name = format.type === "json_schema" ? format.json_schema.name : "json_object";
    // json_object means "any JSON object"; the grammar for { type: "object" } is exactly that.
    const schema = (format.type === "json_schema" ? format.json_schema.schema : undefined) ?? {
      type: "object",
    };
    const responseFormat = options.interner.intern({
      type: "json_schema" as const,
      schema: schema as Record<string, unknown>,
      name,
    });
    try {
      outputSchema = compileTool(options.interner.intern({ name, schema: responseFormat.schema }));
    } catch (error) {
      if (error instanceof ToolDefinitionError) {
        throw badRequest(
          error.message,
          format.type === "json_schema" ? "response_format.json_schema.schema" : "response_format",
        );
      }
      throw error;
    }
    call.response_format = responseFormat;
  }
  return { tools, options: call, outputSchema };
}
