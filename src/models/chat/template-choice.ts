import {
  type ChatHistoryItem,
  type ChatWrapper,
  type ChatWrapperSettings,
  JinjaTemplateChatWrapper,
  type LlamaModel,
  LlamaText,
  MistralChatWrapper,
  QwenChatWrapper,
} from "node-llama-cpp";
import { compileTools } from "../../tools/index.js";
import { ModelTemplateChatWrapper } from "./model-template-wrapper.js";
import { documentedFunctionsView } from "./wrapper-modes.js";

/**
 * Which renderer a model's prompts come from. node-llama-cpp resolves a specialised wrapper by
 * checking it against the model's chat template on plain chats, but several do not render
 * tools, calls and results as the template does (Llama 3.1 writes `<function=…>` into the
 * system turn where the template puts JSON into the first user turn; Qwen quotes results).
 * So when the model loads, both render one conversation with tools, a call, its result and a
 * follow-up; the resolved wrapper is kept only when its tokens equal the template's, and the
 * template renders the prompts otherwise.
 */
export interface WrapperChoice {
  wrapper: ChatWrapper;
  /** "chat wrapper": node-llama-cpp's wrapper, equal to the template; "model template": the template itself. */
  promptFormat: "chat wrapper" | "model template";
  /** The node-llama-cpp wrapper the model resolved to. */
  resolved: string;
}

const PROBE_TOOLS = compileTools([
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get the weather.",
      parameters: {
        type: "object",
        properties: {
          city: { type: "string", description: "City" },
          unit: { type: "string", enum: ["celsius", "fahrenheit"], description: "Unit" },
        },
        required: ["city"],
      },
    },
  },
]);

const PROBE_HISTORY: ChatHistoryItem[] = [
  { type: "system", text: "Be brief." },
  { type: "user", text: "Weather in Paris?" },
  {
    type: "model",
    response: [
      { type: "functionCall", name: "get_weather", params: { city: "Paris" }, result: "Sunny" },
      "It is sunny.",
    ],
  },
  { type: "user", text: "Thanks." },
  { type: "model", response: [] },
];

const PLAIN_PROBE_HISTORY: ChatHistoryItem[] = [
  { type: "system", text: "Be brief." },
  { type: "user", text: "Hello." },
  { type: "model", response: ["Hi."] },
  { type: "user", text: "Thanks." },
  { type: "model", response: [] },
];

function sameTokens(model: LlamaModel, a: LlamaText, b: LlamaText): boolean {
  const left = a.tokenize(model.tokenizer);
  const right = b.tokenize(model.tokenizer);
  return left.length === right.length && left.every((token, index) => token === right[index]);
}

/**
 * The call syntax the template teaches, among those node-llama-cpp knows: the resolved
 * wrapper's, the one it extracts from the template, Mistral's and Qwen's (Hermes) — the first
 * whose call text appears in the template's rendering of a call.
 */
function templateCallSyntax(
  template: ModelTemplateChatWrapper,
  resolved: ChatWrapper,
  source: string,
): ChatWrapperSettings["functions"] {
  const rendered = template
    .render(PROBE_HISTORY.slice(0, 3) as ChatHistoryItem[], PROBE_TOOLS.functions)
    .toString()
    .replace(/\s+/g, "");
  const candidates: Array<() => ChatWrapperSettings["functions"]> = [
    () => resolved.settings.functions,
    () => new JinjaTemplateChatWrapper({ template: source }).settings.functions,
    () => new MistralChatWrapper().settings.functions,
    () => new QwenChatWrapper().settings.functions,
  ];
  const known: ChatWrapperSettings["functions"][] = [];
  for (const candidate of candidates) {
    try {
      known.push(candidate());
    } catch {
      // The template's syntax could not be extracted.
    }
  }
  const squeeze = (value: unknown) =>
    LlamaText(value as never)
      .toString()
      .replace(/\s+/g, "");
  // The whole call opening, name and all; else a tag opening it (Hermes writes the arguments
  // before the name inside the same `<tool_call>` as Qwen).
  for (const functions of known) {
    const call = squeeze([functions.call.prefix, "get_weather", functions.call.paramsPrefix]);
    if (rendered.includes(call)) return functions;
  }
  for (const functions of known) {
    const prefix = squeeze(functions.call.prefix);
    const tag = prefix.slice(0, prefix.indexOf("{"));
    if (tag.length > 1 && rendered.includes(tag) && rendered.includes('"name":"get_weather"'))
      return functions;
  }
  return resolved.settings.functions;
}

/**
 * How the template writes a call: the text between the prompt's end and the call's JSON, when
 * the prompt for the next turn is a prefix of the turn with the call (not so for Qwen3, whose
 * prompt ends with an empty think block the written turn drops), and whether the arguments
 * come before the name (Hermes 2 Pro renders and teaches `{"arguments": …, "name": …}`).
 */
function templateCallForm(template: ModelTemplateChatWrapper): {
  opening?: string;
  argumentsFirst: boolean;
} {
  const prompt = template
    .render([...PROBE_HISTORY.slice(0, 2), { type: "model", response: [] }], PROBE_TOOLS.functions)
    .toString();
  const turn = template.render(PROBE_HISTORY.slice(0, 3), PROBE_TOOLS.functions).toString();
  const prefixed = turn.startsWith(prompt);
  const question = turn.lastIndexOf("Weather in Paris?");
  const from = prefixed ? prompt.length : Math.max(0, question);
  const call = /\{\s*"(name|arguments|parameters)"\s*:/g;
  call.lastIndex = from;
  const found = call.exec(turn);
  const argumentsFirst = found !== null && found[1] !== "name";
  const opening = prefixed && found ? turn.slice(prompt.length, found.index) : undefined;
  // Past the call itself or its arguments: no opening read.
  return {
    opening:
      opening !== undefined && opening.length <= 40 && !opening.includes("Paris")
        ? opening
        : undefined,
    argumentsFirst,
  };
}

export function chooseChatWrapper(model: LlamaModel, resolved: ChatWrapper): WrapperChoice {
  const documented = documentedFunctionsView(resolved);
  const keep: WrapperChoice = {
    wrapper: documented,
    promptFormat: "chat wrapper",
    resolved: resolved.wrapperName,
  };
  const source = (model.fileInfo.metadata as { tokenizer?: { chat_template?: unknown } }).tokenizer
    ?.chat_template;
  if (typeof source !== "string" || source.trim() === "") return keep;
  let template: ModelTemplateChatWrapper;
  try {
    const probe = new ModelTemplateChatWrapper({
      template: source,
      base: resolved,
      bosToken: model.tokens.bosString,
      eosToken: model.tokens.eosString,
      tokenizer: model.tokenizer,
    });
    const form = probe.rendersTools ? templateCallForm(probe) : { argumentsFirst: false };
    template = new ModelTemplateChatWrapper({
      ...probe.options,
      functions: probe.rendersTools
        ? templateCallSyntax(probe, resolved, source)
        : resolved.settings.functions,
      callOpening: form.opening,
      callArgumentsFirst: form.argumentsFirst,
    });
    // A template without tools is compared on a plain chat (with tools it defers to the wrapper).
    const options = template.rendersTools
      ? {
          chatHistory: PROBE_HISTORY,
          availableFunctions: PROBE_TOOLS.functions,
          documentFunctionParams: true,
        }
      : { chatHistory: PLAIN_PROBE_HISTORY };
    const byTemplate = template.generateContextState(options).contextText;
    const byWrapper = documented.generateContextState(options).contextText;
    if (sameTokens(model, byTemplate, byWrapper)) return keep;
  } catch {
    // A template that cannot render a conversation with tools: node-llama-cpp's wrapper stays.
    return keep;
  }
  return { wrapper: template, promptFormat: "model template", resolved: resolved.wrapperName };
}
