import { Template } from "@huggingface/jinja";
import {
  type ChatHistoryItem,
  type ChatModelFunctions,
  ChatWrapper,
  type ChatWrapperGenerateContextStateOptions,
  type ChatWrapperGeneratedContextState,
  type ChatWrapperSettings,
  LlamaText,
  type LlamaTextJSON,
  SpecialTokensText,
  type Tokenizer,
} from "node-llama-cpp";
import { documentedParams } from "../../tools/index.js";
import { callIdOf } from "./history.js";

export interface ModelTemplateChatWrapperOptions {
  /** The model's `tokenizer.chat_template`. */
  template: string;
  bosToken?: string | null;
  eosToken?: string | null;
  /**
   * The wrapper node-llama-cpp resolved: its settings (how calls and thoughts are detected in
   * the output) and stop triggers are kept; only the prompt is rendered by the template.
   */
  base: ChatWrapper;
  /** Function-call syntax to detect instead of the base's (e.g. extracted from the template). */
  functions?: ChatWrapperSettings["functions"];
  /** The template's `enable_thinking` (Qwen3): false renders its official empty think block. */
  enableThinking?: boolean;
  /** The model's tokenizer: finds which of the template's texts are special tokens. */
  tokenizer?: Tokenizer;
  /**
   * What the template writes between the assistant turn's start and a call's JSON
   * (`[TOOL_CALLS] [` for Mistral 7B v0.3), so a forced call opens the same way.
   */
  callOpening?: string;
  /** The template writes a call's arguments before its name (Hermes 2 Pro). */
  callArgumentsFirst?: boolean;
}

type TemplateMessage = Record<string, unknown>;

/**
 * Renders prompts with the model's own chat template, as transformers' apply_chat_template
 * does (@huggingface/jinja is the renderer node-llama-cpp itself uses), so what a model sees
 * is what it was trained on: tools as the template prints them (with the caller's JSON
 * Schema), calls in the template's syntax with their ids, results as raw text, the
 * template's own thinking switch.
 *
 * Why not node-llama-cpp's JinjaTemplateChatWrapper: it renders function calls and results
 * through its own generic syntax (`||call:`, JSON-quoted results) rather than the template's
 * `tool_calls` / `tool` messages. Message text stays plain text (never read as special
 * tokens); the template's own text is special-token text.
 */
export class ModelTemplateChatWrapper extends ChatWrapper {
  readonly wrapperName = "model template";
  override readonly settings: ChatWrapperSettings;
  readonly callOpening: string | undefined;
  readonly callArgumentsFirst: boolean;
  private readonly compiled: Template;
  /** Whether the template renders tools at all (Phi-3.5, Gemma 2, plain ChatML do not). */
  readonly rendersTools: boolean;

  constructor(readonly options: ModelTemplateChatWrapperOptions) {
    super();
    this.compiled = new Template(options.template);
    this.rendersTools = /\btools\b/.test(options.template);
    this.callOpening = options.callOpening;
    this.callArgumentsFirst = options.callArgumentsFirst === true;
    this.settings = {
      ...options.base.settings,
      functions: options.functions ?? options.base.settings.functions,
    };
  }

  private sibling?: ModelTemplateChatWrapper;

  /** The same wrapper rendering the template's `enable_thinking` as given (one instance each way). */
  withThinking(enable: boolean): ModelTemplateChatWrapper {
    if ((this.options.enableThinking ?? false) === enable) return this;
    this.sibling ??= new ModelTemplateChatWrapper({ ...this.options, enableThinking: enable });
    this.sibling.sibling = this;
    return this.sibling;
  }

  override generateContextState(
    options: ChatWrapperGenerateContextStateOptions,
  ): ChatWrapperGeneratedContextState {
    const base = this.options.base.generateContextState(options);
    const hasFunctions = Object.keys(options.availableFunctions ?? {}).length > 0;
    // A template without tools would leave them out of the prompt: node-llama-cpp documents them.
    if (hasFunctions && !this.rendersTools) return base;
    try {
      return {
        stopGenerationTriggers: base.stopGenerationTriggers,
        contextText: this.render(options.chatHistory, options.availableFunctions),
      };
    } catch {
      // A conversation the template refuses (e.g. a tool without the descriptions its macros
      // read): node-llama-cpp's own rendering rather than no answer.
      return base;
    }
  }

  /** The prompt for a history whose last item is the model response being written. */
  render(history: readonly ChatHistoryItem[], functions?: ChatModelFunctions): LlamaText {
    const { messages, plain, continuation } = toTemplateMessages(history);
    const tools =
      functions && Object.keys(functions).length > 0 ? toTemplateTools(functions) : undefined;
    const text = this.renderMessages(messages, tools);
    return LlamaText([markPlainText(text, plain, this.specialTokenTest()), continuation]);
  }

  private specialCache = new Map<string, boolean>();

  /** Whether a text is one special token of this model (tokenizer-checked, cached). */
  private specialTokenTest(): (text: string) => boolean {
    const tokenizer = this.options.tokenizer;
    return (text) => {
      if (!tokenizer) return true;
      let special = this.specialCache.get(text);
      if (special === undefined) {
        const tokens = tokenizer(text, true, "trimLeadingSpace");
        special = tokens.length === 1 && tokenizer.isSpecialToken(tokens[0]);
        this.specialCache.set(text, special);
      }
      return special;
    };
  }

  private renderMessages(messages: TemplateMessage[], tools: unknown[] | undefined): string {
    const variables = {
      ...(tools ? { tools } : {}),
      add_generation_prompt: true,
      bos_token: this.options.bosToken ?? "",
      eos_token: this.options.eosToken ?? "",
      enable_thinking: this.options.enableThinking ?? false,
    };
    try {
      return this.compiled.render({ messages, ...variables });
    } catch (error) {
      // Templates that refuse a system turn (Gemma): its text opens the first user turn.
      if (!/system/i.test((error as Error).message) || messages[0]?.role !== "system") throw error;
      return this.compiled.render({ messages: foldSystem(messages), ...variables });
    }
  }
}

function textOf(text: string | LlamaTextJSON): string {
  return typeof text === "string" ? text : LlamaText.fromJSON(text).toString();
}

/** Call ids as templates require them: Mistral's accept nine letters and digits only. */
export function templateCallId(id: string | undefined, index: number): string {
  if (id && /^[A-Za-z0-9]{9}$/.test(id)) return id;
  const source = id ?? `call-${index}`;
  let hash = 2166136261;
  for (const char of source) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
  let second = hash;
  for (const char of `${source}#`)
    second = Math.imul(second ^ char.codePointAt(0)!, 16777619) >>> 0;
  return `${hash.toString(36)}${second.toString(36)}`.padEnd(9, "0").slice(0, 9);
}

/**
 * node-llama-cpp's history → OpenAI-style messages. A model item holds text, calls and their
 * results together; calls starting a new chunk open a new assistant turn.
 */
export function toTemplateMessages(history: readonly ChatHistoryItem[]): {
  messages: TemplateMessage[];
  /** Message texts, kept as plain text in the prompt. */
  plain: string[];
  /** Text the last (open) model response already holds, continued as plain text. */
  continuation: string;
} {
  const messages: TemplateMessage[] = [];
  const plain: string[] = [];
  let continuation = "";
  let callIndex = 0;
  for (const [itemIndex, item] of history.entries()) {
    if (item.type === "system" || item.type === "user") {
      const content = textOf(item.text);
      plain.push(content);
      messages.push({ role: item.type, content });
      continue;
    }
    const isLast = itemIndex === history.length - 1;
    let text = "";
    let calls: Array<{ id: string; name: string; params: unknown; result: unknown }> = [];
    const flush = (final: boolean) => {
      if (calls.length > 0) {
        plain.push(text);
        messages.push({
          role: "assistant",
          content: text,
          tool_calls: calls.map((call) => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: call.params ?? {} },
          })),
        });
        for (const call of calls) {
          const content =
            typeof call.result === "string" ? call.result : JSON.stringify(call.result);
          plain.push(content);
          messages.push({ role: "tool", tool_call_id: call.id, name: call.name, content });
        }
      } else if (final && isLast) {
        continuation = text;
      } else if (text !== "") {
        plain.push(text);
        messages.push({ role: "assistant", content: text });
      }
      text = "";
      calls = [];
    };
    for (const entry of item.response) {
      if (typeof entry === "string") {
        if (calls.length > 0) flush(false);
        text += entry;
      } else if (entry.type === "functionCall") {
        if (entry.startsNewChunk && calls.length > 0) flush(false);
        calls.push({
          id: templateCallId(callIdOf(entry), callIndex++),
          name: entry.name,
          params: entry.params,
          result: entry.result,
        });
      }
    }
    flush(true);
  }
  return { messages, plain, continuation };
}

function toTemplateTools(functions: ChatModelFunctions): unknown[] {
  return Object.entries(functions).map(([name, fn]) => ({
    type: "function",
    function: {
      name,
      ...(fn.description ? { description: fn.description } : {}),
      parameters: documentedParams(fn) ?? { type: "object", properties: {} },
    },
  }));
}

function foldSystem(messages: TemplateMessage[]): TemplateMessage[] {
  const [system, ...rest] = messages;
  const userIndex = rest.findIndex((message) => message.role === "user");
  if (userIndex < 0) return rest;
  return rest.map((message, index) =>
    index === userIndex
      ? { ...message, content: `${String(system.content)}\n\n${String(message.content)}` }
      : message,
  );
}

/**
 * The rendered prompt as LlamaText: message texts, found in order, are plain text (a user
 * writing "<|im_end|>" does not end a turn); the template's special tokens are special-token
 * text. Pieces are cut only at special tokens, where llama.cpp's own tokenizer cuts too: the
 * template's ordinary text next to a message (`{"content": ` around a result) joins it as
 * plain text, so a SentencePiece model gets no extra space where two pieces meet. A text the
 * template transformed beyond trimming is left as the template's.
 */
function markPlainText(
  rendered: string,
  plain: string[],
  isSpecial: (text: string) => boolean,
): LlamaText {
  // Where each message text sits in the rendering.
  const spans: Array<[number, number]> = [];
  let cursor = 0;
  for (const text of plain) {
    for (const candidate of [text, text.trim()]) {
      if (candidate === "") break;
      const at = rendered.indexOf(candidate, cursor);
      if (at < 0) continue;
      spans.push([at, at + candidate.length]);
      cursor = at + candidate.length;
      break;
    }
  }
  // Special tokens outside those spans.
  const specials: Array<[number, number]> = [];
  let span = 0;
  for (const match of rendered.matchAll(SPECIAL_TOKEN_LIKE)) {
    const start = match.index;
    const end = start + match[0].length;
    while (span < spans.length && spans[span][1] <= start) span++;
    if (span < spans.length && spans[span][0] < end) continue;
    if (isSpecial(match[0])) specials.push([start, end]);
  }
  const values: Array<string | SpecialTokensText> = [];
  let at = 0;
  for (const [start, end] of specials) {
    if (start > at) values.push(...textBetween(rendered, at, start, spans));
    values.push(new SpecialTokensText(rendered.slice(start, end)));
    at = end;
  }
  if (at < rendered.length) values.push(...textBetween(rendered, at, rendered.length, spans));
  return LlamaText(values);
}

/** Text between two special tokens: plain when it holds a message text, else the template's. */
function textBetween(
  rendered: string,
  start: number,
  end: number,
  spans: Array<[number, number]>,
): Array<string | SpecialTokensText> {
  const text = rendered.slice(start, end);
  const holdsMessage = spans.some(([from, to]) => from < end && to > start);
  return [holdsMessage ? text : new SpecialTokensText(text)];
}

/** Texts shaped like special tokens (`<|im_start|>`, `[INST]`, `<tool_call>`, `<bos>`…); the tokenizer decides. */
const SPECIAL_TOKEN_LIKE =
  /<\|[^<>|\s]{1,40}\|>|<\/?[A-Za-z_]{2,24}>|\[\/?[A-Z_]{2,30}\]|<\uFF5C[^>]{1,40}\uFF5C>/g;
