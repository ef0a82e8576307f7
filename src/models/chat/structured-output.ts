import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from "@langchain/core/language_models/base";
import type { AIMessageChunk } from "@langchain/core/messages";
import {
  type Runnable,
  RunnableLambda,
  RunnablePassthrough,
  RunnableSequence,
} from "@langchain/core/runnables";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { interopParse, isInteropZodSchema } from "@langchain/core/utils/types";
import { compileTool } from "../../tools/index.js";
import { type ResponseFormat, rememberOutputSchema } from "./call-plan.js";
import type { ChatNodeLlamaCppCallOptions } from "./options.js";

/** How `withStructuredOutput` constrains the reply (LangChain's names). */
export type StructuredOutputMethod = "jsonSchema" | "functionCalling" | "jsonMode";
const METHODS: readonly string[] = ["jsonSchema", "functionCalling", "jsonMode"];

/** What structured output needs from the chat model: call options, and tools bound with a forced choice. */
export interface StructuredOutputHost {
  withConfig(
    config: Partial<ChatNodeLlamaCppCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk>;
  bindTools(
    tools: unknown[],
    kwargs: Partial<ChatNodeLlamaCppCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk>;
}

/**
 * `withStructuredOutput`, honouring `method`:
 * - `"jsonSchema"` (the default, as ChatOllama's): a JSON-schema grammar over the reply's text;
 * - `"functionCalling"`: the schema as a tool, called by force (`tool_choice` naming it), so the
 *   raw message carries the call in `tool_calls`, as a provider's function calling does;
 * - `"jsonMode"`: any JSON object, checked against the schema afterwards.
 * Every method records `ls_structured_output_format` ({ kwargs: { method }, schema }) in the call
 * options, as LangChain's tracing expects. The schema is compiled now, so one the grammar cannot
 * express fails here, not on the first call; replies are validated, and Zod schemas parse them
 * once more so defaults and transforms apply.
 */
export function structuredOutput(
  host: StructuredOutputHost,
  // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
  outputSchema: any,
  config?: StructuredOutputMethodOptions<boolean>,
  // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
): Runnable<BaseLanguageModelInput, any> {
  const method = config?.method ?? "jsonSchema";
  if (!METHODS.includes(method)) {
    throw new TypeError(
      `Unrecognized structured output method '${method}'. Expected one of 'functionCalling', 'jsonMode', or 'jsonSchema'.`,
    );
  }
  const isZod = isInteropZodSchema(outputSchema);
  const jsonSchema = (isZod ? toJsonSchema(outputSchema) : outputSchema) as Record<string, unknown>;
  const name =
    config?.name ??
    (typeof jsonSchema.title === "string"
      ? jsonSchema.title
      : method === "functionCalling"
        ? "extract"
        : "output");
  const schema = isZod ? outputSchema : jsonSchema;
  const compiled = compileTool({ name, schema });
  const tracing = {
    ls_structured_output_format: { kwargs: { method }, schema: jsonSchema },
  } as Partial<ChatNodeLlamaCppCallOptions>;

  const finish = (value: unknown) => {
    const checked = compiled.validate(value);
    if (!checked.ok)
      throw new Error(`Structured output "${name}" failed validation: ${checked.error}`);
    return isZod ? interopParse(outputSchema, checked.value) : checked.value;
  };

  let model: Runnable<BaseLanguageModelInput, AIMessageChunk>;
  let parse: Runnable<AIMessageChunk, unknown>;
  if (method === "functionCalling") {
    const description =
      typeof jsonSchema.description === "string" ? jsonSchema.description : `Return ${name}.`;
    model = host.bindTools([{ name, description, schema }], { tool_choice: name, ...tracing });
    parse = RunnableLambda.from((message: AIMessageChunk) => {
      const call = message.tool_calls?.find((c) => c.name === name);
      if (!call) {
        const invalid = message.invalid_tool_calls?.[0];
        throw new Error(
          `Structured output "${name}": the forced call ${invalid ? `did not parse (${invalid.error ?? "invalid JSON"})` : "is missing from the reply"}.`,
        );
      }
      return finish(call.args);
    });
  } else {
    const format: ResponseFormat =
      method === "jsonMode"
        ? { type: "json_schema", schema: { type: "object" }, name }
        : { type: "json_schema", schema: compiled.jsonSchema, name };
    if (method === "jsonSchema") rememberOutputSchema(format, compiled);
    model = host.withConfig({ response_format: format, ...tracing });
    parse = RunnableLambda.from((message: AIMessageChunk) => {
      const text =
        typeof message.content === "string" ? message.content : JSON.stringify(message.content);
      let value: unknown;
      try {
        value = JSON.parse(text.trim());
      } catch {
        throw new Error(
          `Structured output "${name}" is not complete JSON (the generation stopped early; raise maxTokens or bound strings with maxLength): ${text.slice(0, 200)}`,
        );
      }
      return finish(value);
    });
  }
  if (!config?.includeRaw) return model.pipe(parse).withConfig({ runName: "StructuredOutput" });
  return RunnableSequence.from([
    { raw: model },
    RunnablePassthrough.assign({
      parsed: (input: { raw: AIMessageChunk }) => parse.invoke(input.raw),
    }),
  ]).withConfig({ runName: "StructuredOutputRunnable" });
}
