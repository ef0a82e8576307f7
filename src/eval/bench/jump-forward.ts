import {
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContextSequence,
  LlamaGrammar,
  LlamaGrammarEvaluationState,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { tightenJsonGrammar } from "../../tools/compile/tighten-gbnf.js";
import type { CompiledTool, CompiledToolSet } from "../../tools/index.js";

/**
 * Jump-forward decoding of one forced tool call on node-llama-cpp's public API: a prototype
 * measured by the P3 benchmark next to ChatNodeLlamaCpp's forced call (which samples every
 * token under one grammar for the whole call).
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
  /** The call's JSON text. */
  text: string;
  /** Tokens of fixed text evaluated without sampling (prompt suffix excluded). */
  forcedTokens: number;
  /** Tokens sampled under value grammars. */
  sampledTokens: number;
  /** Prompt tokens evaluated (not found in the sequence's cache). */
  promptTokensEvaluated: number;
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
  /** Per free value. Default 96. */
  maxTokensPerValue?: number;
  temperature?: number;
}

type Segment = { fixed: string } | { value: Record<string, unknown> };

const valueGrammars = new WeakMap<Llama, Map<string, Promise<LlamaGrammar>>>();

/** A grammar for one JSON value that ends right after it (no trailing newlines, no stop text). */
function valueGrammar(llama: Llama, schema: object): Promise<LlamaGrammar> {
  let byKey = valueGrammars.get(llama);
  if (!byKey) {
    byKey = new Map();
    valueGrammars.set(llama, byKey);
  }
  const key = JSON.stringify(schema);
  let grammar = byKey.get(key);
  if (!grammar) {
    grammar = (async () => {
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
    })();
    byKey.set(key, grammar);
  }
  return grammar;
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
function argumentSegments(tool: CompiledTool): Segment[] {
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

/** The JSON texts a value can only be one of, when its schema lists them. */
function closedOptions(schema: Record<string, unknown>): string[] | undefined {
  if ("const" in schema) return [JSON.stringify(schema.const)];
  if (Array.isArray(schema.enum)) return schema.enum.map((option) => JSON.stringify(option));
  return undefined;
}

function withOpenResponse(history: ChatHistoryItem[]): ChatHistoryItem[] {
  const last = history.at(-1);
  if (last?.type === "model") return history;
  return [...history, { type: "model", response: [] }];
}

export async function jumpForwardToolCall(options: JumpForwardOptions): Promise<JumpForwardResult> {
  const { llama, model, sequence, tools } = options;
  const maxTokens = options.maxTokensPerValue ?? 96;
  const temperature = options.temperature ?? 0;
  const result: JumpForwardResult = {
    text: "",
    forcedTokens: 0,
    sampledTokens: 0,
    promptTokensEvaluated: 0,
    stages: 0,
  };

  // The prompt, rendered by the same wrapper LlamaChat uses for a forced call; the sequence
  // keeps its cached prefix and evaluates the rest together with the first fixed text.
  const { contextText } = options.chatWrapper.generateContextState({
    chatHistory: withOpenResponse(options.history),
  });
  const prompt = contextText.tokenize(model.tokenizer);
  let keep = sequence.compareContextTokens(prompt).firstDifferentIndex;
  if (keep < sequence.nextTokenIndex) {
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  }
  keep = sequence.nextTokenIndex;
  let input: Token[] = prompt.slice(keep);
  result.promptTokensEvaluated = input.length;
  let pending = "";

  const flushInto = () => {
    if (pending) {
      const tokens = model.tokenize(pending);
      result.forcedTokens += tokens.length;
      input = [...input, ...tokens];
      result.text += pending;
      pending = "";
    }
  };

  /** Samples one value under its grammar; fixed text waiting in `pending` goes in first. */
  const sample = async (schema: Record<string, unknown>): Promise<string> => {
    const choices = closedOptions(schema);
    if (choices?.length === 1) {
      pending += choices[0];
      return choices[0];
    }
    flushInto();
    if (input.length === 0) throw new Error("jump-forward: nothing to evaluate before sampling");
    result.stages++;
    const grammar = await valueGrammar(llama, schema);
    const state = new LlamaGrammarEvaluationState({ model, grammar });
    const generated: Token[] = [];
    let forcedRest = "";
    let decided = false;
    for await (const token of sequence.evaluate(input, {
      temperature,
      grammarEvaluationState: state,
    })) {
      if (model.isEogToken(token) || generated.length >= maxTokens) break;
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
    input = [];
    result.sampledTokens += generated.length;
    // Stopped before the grammar ended: the last sampled token is not evaluated yet.
    const last = generated.at(-1);
    if (decided && last !== undefined) input = [last];
    const text = model.detokenize(generated);
    result.text += text;
    pending += forcedRest;
    return text + forcedRest;
  };

  pending = '{"name": ';
  let chosen: CompiledTool | undefined;
  if (tools.tools.length === 1) {
    chosen = tools.tools[0];
    pending += JSON.stringify(chosen.modelName);
  } else {
    const name = JSON.parse(
      await sample({ enum: tools.tools.map((tool) => tool.modelName) }),
    ) as string;
    chosen = tools.tools.find((tool) => tool.modelName === name);
    if (!chosen) throw new Error(`jump-forward: the model chose an unknown tool ${name}`);
  }
  pending += ', "arguments": ';
  for (const segment of argumentSegments(chosen)) {
    if ("fixed" in segment) pending += segment.fixed;
    else await sample(segment.value);
  }
  // Closing text and a pending last token need no evaluation now: the next prompt holds them.
  result.text += `${pending}}`;
  return result;
}
