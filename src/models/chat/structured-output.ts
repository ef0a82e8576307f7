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

/**
 * Structured output through a JSON-schema grammar: the model cannot emit anything else. The
 * schema is compiled now, so one the grammar cannot express fails here, not on the first call;
 * the reply is then parsed, validated and (for Zod) parsed by the Zod schema so defaults and
 * transforms apply.
 */
export function structuredOutput(
  withFormat: (format: ResponseFormat) => Runnable<BaseLanguageModelInput, AIMessageChunk>,
  // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
  outputSchema: any,
  config?: StructuredOutputMethodOptions<boolean>,
  // biome-ignore lint/suspicious/noExplicitAny: matches BaseChatModel's overloads.
): Runnable<BaseLanguageModelInput, any> {
  const isZod = isInteropZodSchema(outputSchema);
  const jsonSchema = (isZod ? toJsonSchema(outputSchema) : outputSchema) as Record<string, unknown>;
  const name = config?.name ?? (typeof jsonSchema.title === "string" ? jsonSchema.title : "output");
  const compiled = compileTool({ name, schema: isZod ? outputSchema : jsonSchema });
  const format: ResponseFormat = { type: "json_schema", schema: compiled.jsonSchema, name };
  rememberOutputSchema(format, compiled);
  const model = withFormat(format);
  const parse = RunnableLambda.from((message: AIMessageChunk) => {
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
    const checked = compiled.validate(value);
    if (!checked.ok)
      throw new Error(`Structured output "${name}" failed validation: ${checked.error}`);
    return isZod ? interopParse(outputSchema, checked.value) : checked.value;
  });
  if (!config?.includeRaw) return model.pipe(parse).withConfig({ runName: "StructuredOutput" });
  return RunnableSequence.from([
    { raw: model },
    RunnablePassthrough.assign({
      parsed: (input: { raw: AIMessageChunk }) => parse.invoke(input.raw),
    }),
  ]).withConfig({ runName: "StructuredOutputRunnable" });
}
