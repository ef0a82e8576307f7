import { type ZodError, z } from "zod";
import { badRequest, type HttpError } from "./errors.js";

// The request body of POST /v1/chat/completions, as OpenAI documents it. Fields this server
// cannot honour are refused with a message rather than ignored, except the ones that only tag a
// request for OpenAI's own logging and billing (user, metadata, store, …): those mean nothing here.

/** Text, or OpenAI's content parts; non-text parts are refused where messages are converted. */
const Content = z.union([z.string(), z.array(z.looseObject({ type: z.string() }))], {
  error: "must be a string or an array of content parts ({ type: 'text', text })",
});

const AssistantToolCall = z.object({
  id: z.string(),
  type: z.literal("function"),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const Message = z.discriminatedUnion(
  "role",
  [
    z.object({
      role: z.enum(["system", "developer"]),
      content: Content,
      name: z.string().optional(),
    }),
    z.object({ role: z.literal("user"), content: Content, name: z.string().optional() }),
    z.object({
      role: z.literal("assistant"),
      content: Content.nullish(),
      tool_calls: z.array(AssistantToolCall).nullish(),
      name: z.string().optional(),
      refusal: z.string().nullish(),
    }),
    z.object({ role: z.literal("tool"), content: Content, tool_call_id: z.string() }),
  ],
  { error: "role must be one of 'system', 'developer', 'user', 'assistant', 'tool'" },
);

const FunctionTool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const ToolChoice = z.union(
  [
    z.enum(["auto", "none", "required"]),
    z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) }),
  ],
  {
    error: "must be 'auto', 'none', 'required' or { type: 'function', function: { name } }",
  },
);

const ResponseFormat = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text") }),
    z.object({ type: z.literal("json_object") }),
    z.object({
      type: z.literal("json_schema"),
      json_schema: z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        schema: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullish(),
      }),
    }),
  ],
  { error: "type must be 'text', 'json_object' or 'json_schema'" },
);

const zeroOnly = (name: string) =>
  z
    .number()
    .refine((value) => value === 0, {
      error: `${name} is not supported by this server; leave it out or send 0.`,
    })
    .nullish();

const ChatCompletionRequestSchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(Message).min(1, { error: "must hold at least one message" }),
  tools: z.array(FunctionTool).nullish(),
  tool_choice: ToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: ResponseFormat.nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)], {
      error: "must be a string or an array of at most 4 strings",
    })
    .nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  n: z
    .literal(1, { error: "this server generates one choice per request; leave n out or send 1" })
    .nullish(),
  frequency_penalty: zeroOnly("frequency_penalty"),
  presence_penalty: zeroOnly("presence_penalty"),
  logprobs: z.literal(false, { error: "logprobs are not supported by this server" }).nullish(),
  top_logprobs: z.literal(0, { error: "logprobs are not supported by this server" }).nullish(),
  logit_bias: z
    .record(z.string(), z.number())
    .refine((bias) => Object.keys(bias).length === 0, {
      error: "logit_bias is not supported by this server",
    })
    .nullish(),
  // Tags for OpenAI's own logging, caching and billing: accepted and meaningless here.
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
});

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;
export type ChatMessageParam = z.infer<typeof Message>;
export type FunctionToolParam = z.infer<typeof FunctionTool>;

/** `["messages", 0, "role"]` → `messages[0].role`, the form OpenAI's `param` uses. */
function paramPath(path: PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join("");
}

function zodToHttpError(error: ZodError): HttpError {
  const issue = error.issues[0];
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    return badRequest(
      `Unrecognized request argument supplied: ${issue.keys.join(", ")}. This server implements OpenAI's chat completions parameters listed in the README's "hearth serve" section.`,
      key,
      "unknown_parameter",
    );
  }
  const param = paramPath(issue.path);
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return badRequest(
      `Missing required parameter: '${param}'.`,
      param,
      "missing_required_parameter",
    );
  }
  return badRequest(`Invalid value for '${param}': ${issue.message}.`, param, "invalid_value");
}

/** The body, validated; cross-field rules (a forced tool that exists, …) are checked here too. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object.");
  }
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) throw zodToHttpError(parsed.error);
  const request = parsed.data;
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  if (choice && choice !== "auto" && choice !== "none" && tools.length === 0) {
    throw badRequest(
      "tool_choice forces a tool call, but the request has no tools. Send `tools`, or leave tool_choice out.",
      "tool_choice",
    );
  }
  if (
    choice &&
    typeof choice === "object" &&
    !tools.some((tool) => tool.function.name === choice.function.name)
  ) {
    throw badRequest(
      `tool_choice names "${choice.function.name}", which is not among the request's tools (${tools.map((tool) => tool.function.name).join(", ")}).`,
      "tool_choice.function.name",
    );
  }
  const names = new Set<string>();
  for (const [index, tool] of tools.entries()) {
    if (names.has(tool.function.name)) {
      throw badRequest(
        `Two tools are named "${tool.function.name}"; tool names must be unique.`,
        `tools[${index}].function.name`,
      );
    }
    names.add(tool.function.name);
  }
  const format = request.response_format?.type;
  if (format !== undefined && format !== "text" && tools.length > 0 && choice !== "none") {
    // The whole reply is decoded under one grammar: either a tool call or the format, never a
    // choice between them. Saying so beats quietly dropping one of the two.
    throw badRequest(
      "response_format with callable tools is not supported: this server constrains the whole reply to one grammar. Send tools or response_format (or tool_choice: 'none').",
      "response_format",
    );
  }
  if (
    request.max_tokens != null &&
    request.max_completion_tokens != null &&
    request.max_tokens !== request.max_completion_tokens
  ) {
    throw badRequest(
      "max_tokens and max_completion_tokens disagree; send one of them.",
      "max_completion_tokens",
    );
  }
  return request;
}
