import {
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContextSequence,
  LlamaGrammar,
  LlamaGrammarEvaluationState,
  type LlamaModel,
  LlamaText,
  type Token,
} from "node-llama-cpp";
import type { CompiledTool, CompiledToolSet } from "../../tools/index.js";
import { closeJson, tightenJsonGrammar } from "../../tools/index.js";
import { getOrCreate } from "../../util/get-or-create.js";
import { OutputBudgetError } from "./output-budget.js";
import { renderContext } from "./render-prompt.js";

/**
 * Jump-forward decoding of one forced tool call on node-llama-cpp's public API. node-llama-cpp
 * has no jump-forward of its own: under one grammar for the whole call it samples every token,
 * and on text the grammar fixes the model's favourite token is rejected, which costs a decode
 * step plus a grammar pass over the whole vocabulary per token (the P3 benchmark: 3.7× slower
 * at Qwen3's 151,936 tokens).
 *
 * A call `{"name": "t", "arguments": {"a": …, "b": …}}` is mostly text the grammar fixes: the
 * envelope, the keys (node-llama-cpp's JSON grammar writes every property, in order) and the
 * punctuation. Sampling that text costs a decode step per token, plus a pass of the grammar
 * over the whole vocabulary whenever the model's favourite token is not an allowed one (always,
 * on fixed text a random model did not learn). Here fixed text is appended as input tokens,
 * evaluated in one batch with the next sampled step, and only the free parts are sampled, each
 * under a grammar for just that value of just the chosen tool. An enum value stops being
 * sampled as soon as its prefix picks one option; the rest of the option is fixed text.
 */
export interface JumpForwardResult {
  /** The call's JSON text: always complete, valid under the tool's grammar schema. */
  text: string;
  /**
   * "maxTokens" when the budget ran out inside a value and the call was closed there (within
   * its schema, see closeJson); "eogToken" when every value ended by itself.
   */
  stopReason: "eogToken" | "maxTokens";
  /** Tokens of fixed text written without sampling (prompt suffix excluded), closing text included. */
  forcedTokens: number;
  /** Tokens sampled under value grammars. */
  sampledTokens: number;
  /** Prompt tokens evaluated (not found in the sequence's cache). */
  promptTokensEvaluated: number;
  /** The whole rendered prompt. */
  promptTokens: number;
  /** Free values sampled. */
  stages: number;
}

export interface JumpForwardOptions {
  llama: Llama;
  model: LlamaModel;
  sequence: LlamaContextSequence;
  /** The wrapper ChatNodeLlamaCpp renders forced calls with (its documentOnlyWrapper). */
  chatWrapper: ChatWrapper;
  history: ChatHistoryItem[];
  tools: CompiledToolSet;
  /** Only these tools (the caller's names), for a named tool_choice. */
  toolNames?: readonly string[];
  /**
   * Output tokens for the whole call, sampled and fixed together (default 1024). Each value is
   * sampled within what is left after reserving the tokens that close the call; a value that
   * would overrun is cut where its closing still fits and closed there. A budget below the
   * shortest complete call (see minimalCallTokens) is refused with an OutputBudgetError.
   */
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  signal?: AbortSignal;
  /** The call's text as it is decided: fixed pieces when fed, each value once sampled. */
  onText?: (text: string) => void;
}

/** Where jump-forward applies: one call, and argument schemas without `$ref` (value grammars have no `$defs`). */
export function canJumpForward(tools: CompiledToolSet, parallel: boolean): boolean {
  if (parallel) return false;
  return tools.tools.every((tool) => !JSON.stringify(tool.grammarSchema).includes('"$ref"'));
}

export type Segment = { fixed: string } | { value: Record<string, unknown> };

const valueGrammars = new WeakMap<Llama, Map<string, Promise<LlamaGrammar>>>();

/** A grammar for one JSON value that ends right after it (no trailing newlines, no stop text). */
function valueGrammar(llama: Llama, schema: object): Promise<LlamaGrammar> {
  const byKey = getOrCreate(valueGrammars, llama, () => new Map());
  return getOrCreate(byKey, JSON.stringify(schema), async () => {
    const create = llama.createGrammarForJsonSchema.bind(llama) as (
      schema: object,
    ) => Promise<{ grammar: string }>;
    const base = await create(schema);
    // node-llama-cpp ends every JSON root with `"\n\n\n\n" [\n]*` and stops on the newlines;
    // a value inside a call ends where the value ends.
    const text = tightenJsonGrammar(base.grammar).replace(
      /^(root ::= .*?) "\\n\\n\\n\\n" \[\\n\]\*$/m,
      "$1",
    );
    return new LlamaGrammar(llama, { grammar: text });
  });
}

function isPlainObjectSchema(
  schema: unknown,
): schema is { type: "object"; properties: Record<string, Record<string, unknown>> } {
  if (typeof schema !== "object" || schema === null) return false;
  const node = schema as Record<string, unknown>;
  const allowed = new Set([
    "type",
    "properties",
    "required",
    "additionalProperties",
    "description",
  ]);
  return (
    node.type === "object" &&
    typeof node.properties === "object" &&
    node.properties !== null &&
    (node.additionalProperties === undefined || node.additionalProperties === false) &&
    Object.keys(node).every((key) => allowed.has(key))
  );
}

/** The fixed texts and free values of a call's arguments, in order. */
export function argumentSegments(tool: CompiledTool): Segment[] {
  const schema = tool.grammarSchema as unknown;
  if (!isPlainObjectSchema(schema)) return [{ value: schema as Record<string, unknown> }];
  const keys = Object.keys(schema.properties);
  if (keys.length === 0) return [{ fixed: "{}" }];
  const segments: Segment[] = [];
  keys.forEach((key, index) => {
    segments.push({ fixed: `${index === 0 ? "{" : ", "}${JSON.stringify(key)}: ` });
    segments.push({ value: schema.properties[key] });
  });
  segments.push({ fixed: "}" });
  return segments;
}

/** The property names of an object schema (none for any other). */
function propertyNames(schema: unknown): string[] {
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
}

/** The top-level keys an object's JSON text (possibly cut) has begun to write. */
function keysWritten(text: string): string[] {
  try {
    const closed = closeJson(text, { type: "object" }).text;
    const value = JSON.parse(closed) as unknown;
    return typeof value === "object" && value !== null ? Object.keys(value) : [];
  } catch {
    return [];
  }
}

/** The JSON texts a value can only be one of, when its schema lists them. */
export function closedOptions(schema: Record<string, unknown>): string[] | undefined {
  if ("const" in schema) return [JSON.stringify(schema.const)];
  if (Array.isArray(schema.enum)) return schema.enum.map((option) => JSON.stringify(option));
  return undefined;
}

/** The prompt leaves no room in the context: LlamaChat (with its context shift) must take the call. */
export class JumpForwardUnavailableError extends Error {
  override name = "JumpForwardUnavailableError";
}

/** Forced-call tokenization: fixed text is a continuation (no SentencePiece space prefix). */
function continuation(model: LlamaModel): (text: string) => Token[] {
  return (text) => (text === "" ? [] : model.tokenize(text, false, "trimLeadingSpace"));
}

/** The envelope's own text (`<tool_call>\n`, `[TOOL_CALLS]`) holds the family's special tokens. */
function envelopeTokens(model: LlamaModel, text: string): number {
  return text === "" ? 0 : model.tokenize(text, true, "trimLeadingSpace").length;
}

/**
 * Output tokens of the shortest complete call jump-forward can write for these tools: the
 * envelope around the first candidate's call with every value at its smallest. A `maxTokens`
 * below it cannot hold a complete call at all.
 */
export function minimalCallTokens(options: {
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  tools: CompiledToolSet;
  toolNames?: readonly string[];
}): number {
  const { model, tools } = options;
  const candidates = options.toolNames
    ? tools.tools.filter((tool) => options.toolNames!.includes(tool.name))
    : tools.tools;
  const envelope = callEnvelope(options.chatWrapper);
  const schema = envelopeSchema(candidates, envelope);
  return (
    continuation(model)(closeJson("", schema.grammar, schema.hint).text).length +
    envelopeTokens(model, envelope.before) +
    envelopeTokens(model, envelope.after)
  );
}

export async function jumpForwardToolCall(options: JumpForwardOptions): Promise<JumpForwardResult> {
  const { llama, model, sequence, tools, signal } = options;
  const maxTokens = options.maxTokens ?? 1024;
  const sampling = {
    temperature: options.temperature ?? 0,
    topK: options.topK,
    topP: options.topP,
    seed: options.seed,
  };
  const result: JumpForwardResult = {
    text: "",
    stopReason: "eogToken",
    forcedTokens: 0,
    sampledTokens: 0,
    promptTokensEvaluated: 0,
    promptTokens: 0,
    stages: 0,
  };
  const candidates = options.toolNames
    ? tools.tools.filter((tool) => options.toolNames!.includes(tool.name))
    : tools.tools;
  const tokenize = continuation(model);
  const envelope = callEnvelope(options.chatWrapper);
  const minimum = minimalCallTokens(options);
  if (minimum > maxTokens) throw new OutputBudgetError(maxTokens, minimum, "a forced tool call");

  // The prompt, rendered by the same wrapper LlamaChat uses for a forced call; the sequence
  // keeps its cached prefix and evaluates the rest together with the first fixed text.
  const prompt = renderContext(options.chatWrapper, options.history).tokenize(model.tokenizer);
  if (prompt.length + maxTokens > sequence.contextSize) {
    throw new JumpForwardUnavailableError(
      `prompt of ${prompt.length} tokens + ${maxTokens} to generate exceed the ${sequence.contextSize}-token context`,
    );
  }
  let keep = sequence.compareContextTokens(prompt).firstDifferentIndex;
  if (keep < sequence.nextTokenIndex) {
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  }
  keep = sequence.nextTokenIndex;
  let input: Token[] = prompt.slice(keep);
  result.promptTokensEvaluated = input.length;
  result.promptTokens = prompt.length;
  let pending = "";
  // The call's schema so far: the envelope over every candidate until one is chosen.
  let callSchema = envelopeSchema(candidates, envelope);
  let chosen: CompiledTool | undefined = candidates.length === 1 ? candidates[0] : undefined;
  let closedAtBudget = false;

  // The envelope's opening (`<tool_call>\n`, `[TOOL_CALLS][`) goes in with the first fixed text.
  let envelopeFed = envelope.before === "";
  const envelopeLeft = () =>
    (envelopeFed ? 0 : envelopeTokens(model, envelope.before)) +
    envelopeTokens(model, envelope.after);

  const flushInto = () => {
    if (!envelopeFed) {
      const tokens = model.tokenize(envelope.before, true, "trimLeadingSpace");
      result.forcedTokens += tokens.length;
      input = [...input, ...tokens];
      envelopeFed = true;
    }
    if (pending) {
      const tokens = tokenize(pending);
      result.forcedTokens += tokens.length;
      input = [...input, ...tokens];
      result.text += pending;
      options.onText?.(pending);
      pending = "";
    }
  };

  /**
   * The text that would close the call from `text` (written) + `pending`. Before a tool is
   * chosen with the arguments first (Hermes), the longest closing over the candidates.
   */
  let closingCandidates: readonly CompiledTool[] | undefined;
  const closingOf = (text: string): string => {
    if (!closingCandidates) return closeJson(text, callSchema.grammar, callSchema.hint).completion;
    let longest = "";
    for (const tool of closingCandidates) {
      const schema = envelopeSchema([tool], envelope);
      let completion: string;
      try {
        completion = closeJson(text, schema.grammar, schema.hint).completion;
      } catch {
        continue; // Text this tool's schema cannot be closing (another tool's arguments).
      }
      if (tokenize(completion).length >= tokenize(longest).length) longest = completion;
    }
    return longest;
  };

  /**
   * Tokens a value may sample: the budget left after what is written, what waits in `pending`
   * and the shortest text that would close the call from here (plus a small margin for a
   * closing written from deeper inside the value; the exact check follows each value).
   */
  const valueBudget = (): number => {
    const reserved =
      tokenize(pending).length +
      tokenize(closingOf(result.text + pending)).length +
      envelopeLeft() +
      CLOSING_MARGIN;
    return maxTokens - result.forcedTokens - result.sampledTokens - reserved;
  };

  /** The call's whole output if it were closed after `text` (written) and `pending` now. */
  const outputIfClosed = (text: string, sampledNow: number, fixedNext: string): number =>
    result.forcedTokens +
    result.sampledTokens +
    sampledNow +
    tokenize(pending + fixedNext + closingOf(text + pending + fixedNext)).length +
    envelopeLeft();

  /** Samples one value under its grammar; fixed text waiting in `pending` goes in first. */
  const sample = async (schema: Record<string, unknown>): Promise<string | undefined> => {
    const choices = closedOptions(schema);
    if (choices?.length === 1) {
      pending += choices[0];
      return choices[0];
    }
    const budget = valueBudget();
    if (budget < 1) {
      closedAtBudget = true;
      return undefined;
    }
    flushInto();
    if (signal?.aborted) throw signal.reason ?? new Error("The call was aborted");
    if (input.length === 0) throw new Error("jump-forward: nothing to evaluate before sampling");
    result.stages++;
    const grammar = await valueGrammar(llama, schema);
    const state = new LlamaGrammarEvaluationState({ model, grammar });
    const generated: Token[] = [];
    let forcedRest = "";
    let decided = false;
    let ended = false;
    // node-llama-cpp ends the evaluation without yielding the end-of-generation token when the
    // grammar completes, so running out of budget is the one case to detect here.
    let exhausted = false;
    for await (const token of sequence.evaluate(input, {
      ...sampling,
      grammarEvaluationState: state,
    })) {
      if (model.isEogToken(token)) {
        ended = true;
        break;
      }
      if (signal?.aborted) break;
      if (generated.length >= budget) {
        exhausted = true;
        break;
      }
      generated.push(token);
      if (choices) {
        const sofar = model.detokenize(generated);
        const left = choices.filter((choice) => choice.startsWith(sofar));
        if (left.length === 1) {
          forcedRest = left[0].slice(sofar.length);
          decided = true;
          break;
        }
      }
    }
    if (signal?.aborted) throw signal.reason ?? new Error("The call was aborted");
    input = [];
    // The budget is an estimate; the closing from where the value stands is exact. Tokens it
    // leaves no room for are taken back (the value, cut shorter, is still a prefix the
    // closing completes), so the call never runs past maxTokens.
    let trimmed = false;
    while (
      generated.length > 0 &&
      outputIfClosed(result.text + model.detokenize(generated), generated.length, forcedRest) >
        maxTokens
    ) {
      generated.pop();
      forcedRest = "";
      trimmed = true;
    }
    result.sampledTokens += generated.length;
    // Stopped before the grammar ended: the last sampled token is not evaluated yet.
    const last = generated.at(-1);
    if (decided && !trimmed && last !== undefined) input = [last];
    const text = model.detokenize(generated);
    result.text += text;
    if (text) options.onText?.(text);
    if ((exhausted && !ended && !decided) || trimmed) {
      // The budget ran out inside the value.
      closedAtBudget = true;
      return undefined;
    }
    pending += forcedRest;
    return text + forcedRest;
  };

  const nameKey = (first: boolean) => `${first ? "{" : ", "}"name": `;
  const argumentsKey = (first: boolean) =>
    `${first ? "{" : ", "}${JSON.stringify(envelope.argumentsKey)}: `;
  /** Samples the tool's name among `names` (fixed when one), or undefined when cut. */
  const chooseName = async (among: readonly CompiledTool[]): Promise<CompiledTool | undefined> => {
    if (among.length === 1) {
      pending += JSON.stringify(among[0].modelName);
      return among[0];
    }
    const name = await sample({ enum: among.map((tool) => tool.modelName) });
    if (name === undefined) return undefined;
    const modelName = JSON.parse(name) as string;
    const tool = among.find((candidate) => candidate.modelName === modelName);
    if (!tool) throw new Error(`jump-forward: the model chose an unknown tool ${modelName}`);
    return tool;
  };
  /** The chosen tool's arguments, key by key; false when the budget cut them. */
  const writeArguments = async (tool: CompiledTool): Promise<boolean> => {
    for (const segment of argumentSegments(tool)) {
      if ("fixed" in segment) pending += segment.fixed;
      else if ((await sample(segment.value)) === undefined) return false;
    }
    return true;
  };

  if (!envelope.argumentsFirst) {
    pending = nameKey(true);
    chosen = await chooseName(candidates);
    if (chosen) {
      callSchema = envelopeSchema([chosen], envelope);
      pending += argumentsKey(false);
      await writeArguments(chosen);
    }
  } else {
    // The template's order (Hermes): the arguments, then the name of the tool they are for.
    pending = argumentsKey(true);
    let among: readonly CompiledTool[] = candidates;
    let complete: boolean;
    if (chosen) complete = await writeArguments(chosen);
    else {
      closingCandidates = candidates;
      const args = await sample({ oneOf: candidates.map((tool) => tool.grammarSchema) });
      closingCandidates = undefined;
      complete = args !== undefined;
      // The tools whose arguments the text is (or, cut, still closes into).
      const written = (result.text + pending).slice(argumentsKey(true).length);
      const keys = keysWritten(written);
      const fits = candidates.filter((tool) => {
        // Every key written is (or, the last one cut, begins) one of the tool's properties.
        const properties = propertyNames(tool.grammarSchema);
        if (!keys.every((key) => properties.some((name) => name.startsWith(key)))) return false;
        try {
          const closed = closeJson(written, tool.grammarSchema, tool.jsonSchema).text;
          return tool.validate(JSON.parse(closed)).ok;
        } catch {
          return false;
        }
      });
      if (fits.length > 0) among = fits;
      chosen = among.length === 1 || !complete ? among[0] : undefined;
      callSchema = envelopeSchema(chosen ? [chosen] : among, envelope);
    }
    if (complete) {
      pending += nameKey(false);
      chosen = await chooseName(chosen ? [chosen] : among);
    }
  }
  // The rest is closing text: complete within the schema, none of it sampled. It needs no
  // evaluation now (the next prompt holds it), but it is output and counts as such.
  const closed = closeJson(result.text + pending, callSchema.grammar, callSchema.hint);
  const closing = pending + closed.completion;
  result.forcedTokens += tokenize(closing).length + envelopeLeft();
  options.onText?.(closing);
  const call = JSON.parse(closed.text) as Record<string, unknown>;
  // Callers read `{"name", "arguments"}` whatever the family calls them and in whatever order.
  result.text =
    envelope.argumentsKey === "arguments" && !envelope.argumentsFirst
      ? closed.text
      : JSON.stringify({ name: call.name, arguments: call[envelope.argumentsKey] });
  if (closedAtBudget) result.stopReason = "maxTokens";
  // Nothing sampled (a budget that holds only the shortest call): the prompt was never evaluated.
  if (result.stages === 0) result.promptTokensEvaluated = 0;
  return result;
}

/**
 * The model's own call syntax around the call JSON, read from the wrapper's function-call
 * settings: Qwen and Hermes wrap it in `<tool_call>\n…\n</tool_call>`, Mistral in
 * `[TOOL_CALLS][…]`, Llama 3.1's template names the arguments `"parameters"`. A forced call
 * written in it is the text the model would have written itself.
 */
export interface CallEnvelope {
  before: string;
  after: string;
  argumentsKey: string;
  /** The template writes `{"arguments": …, "name": …}` (Hermes 2 Pro), not the name first. */
  argumentsFirst: boolean;
}

export function callEnvelope(wrapper: ChatWrapper): CallEnvelope {
  const functions = wrapper.settings.functions;
  const text = (value: unknown) =>
    value === undefined ? "" : LlamaText(value as never).toString();
  const prefix = text(functions.call.prefix);
  const paramsPrefix = text(functions.call.paramsPrefix);
  const suffix = text(functions.call.suffix);
  const plain: CallEnvelope = {
    before: "",
    after: "",
    argumentsKey: "arguments",
    argumentsFirst: false,
  };
  const opening = prefix.indexOf('{"name": "');
  const key = /"(\w+)":\s*$/.exec(paramsPrefix)?.[1];
  if (opening < 0 || !key) return plain;
  // The template's own opening, where it was read from a rendered call (see template-choice.ts).
  const written = (wrapper as { callOpening?: unknown }).callOpening;
  const argumentsFirst = (wrapper as { callArgumentsFirst?: unknown }).callArgumentsFirst === true;
  const section = functions.parallelism?.call;
  const sectionPrefix = section ? text(section.sectionPrefix) : "";
  const sectionSuffix = section ? text(section.sectionSuffix) : "";
  const closing = suffix.startsWith("}") ? suffix.slice(1) : "";
  if (sectionPrefix.includes("[TOOL_CALLS]")) {
    // Mistral: a list of calls after the token; the list closes before the end of sequence.
    return {
      before:
        typeof written === "string"
          ? written
          : `${sectionPrefix.trimEnd()}${prefix.slice(0, opening)}`,
      after: `${closing}${sectionSuffix.startsWith("]") ? "]" : ""}`,
      argumentsKey: key,
      argumentsFirst,
    };
  }
  return {
    before: typeof written === "string" ? written : prefix.slice(0, opening),
    after: closing,
    argumentsKey: key,
    argumentsFirst,
  };
}

/** Closing text written from inside a nested value may run a few tokens past the estimate. */
const CLOSING_MARGIN = 2;

/** The envelope of a call to one of these tools, in the template's key order: grammar and real schemas. */
function envelopeSchema(
  candidates: readonly CompiledTool[],
  order: CallEnvelope,
): {
  grammar: Record<string, unknown>;
  hint: Record<string, unknown>;
} {
  const envelope = (tool: CompiledTool, args: unknown) => {
    const name = { const: tool.modelName };
    const properties = order.argumentsFirst
      ? { [order.argumentsKey]: args, name }
      : { name, [order.argumentsKey]: args };
    return { type: "object", properties, required: Object.keys(properties) };
  };
  return {
    grammar: { oneOf: candidates.map((tool) => envelope(tool, tool.grammarSchema)) },
    hint: { oneOf: candidates.map((tool) => envelope(tool, tool.jsonSchema)) },
  };
}
