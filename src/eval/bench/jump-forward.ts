import {
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  LlamaChat,
  type LlamaContextSequence,
  LlamaGrammar,
  LlamaGrammarEvaluationState,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import type { CompiledTool, CompiledToolSet } from "../../tools/index.js";
import { tightenJsonGrammar } from "../../tools/compile/tighten-gbnf.js";

/**
 * Jump-forward decoding of one forced tool call, built on node-llama-cpp's public API (a
 * prototype for the P3 benchmark; ChatNodeLlamaCpp does not use it yet).
 *
 * A call `{"name": "t", "arguments": {"a": …, "b": …}}` is mostly text the grammar fixes: the
 * envelope, the keys (node-llama-cpp's JSON grammar writes every property, in order) and the
 * punctuation. Sampling those under the grammar costs a full decode step each, plus a pass of
 * the grammar over the whole vocabulary whenever the model's favourite token is not the one
 * allowed. Here the fixed text is appended as prompt tokens (evaluated in one batch with the
 * next step, no sampling) and only the free values are sampled, each under a grammar for just
 * that value (narrowed to the chosen tool).
 */
export interface JumpForwardResult {
  /** The call's JSON text. */
  text: string;
  /** Tokens of fixed text evaluated without sampling. */
  forcedTokens: number;
  /** Tokens sampled (free values). */
  sampledTokens: number;
  /** Generation stages (one per free value). */
  stages: number;
}

export interface JumpForwardOptions {
  llama: Llama;
  model: LlamaModel;
  sequence: LlamaContextSequence;
  /** The wrapper ChatNodeLlamaCpp uses for forced calls (documentOnlyWrapper). */
  chatWrapper: ChatWrapper;
  history: ChatHistoryItem[];
  tools: CompiledToolSet;
  /** Per free value. */
  maxTokensPerValue?: number;
  temperature?: number;
}

type Segment = { fixed: string } | { value: object; maxTokens?: number };

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
      // node-llama-cpp ends every JSON root with `"\n\n\n\n" [\n]*` and a stop trigger on the
      // newlines; a value in the middle of a call must end where the value ends.
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

function isPlainObjectSchema(schema: unknown): schema is {
  type: "object";
  properties: Record<string, object>;
} {
  if (typeof schema !== "object" || schema === null) return false;
  const node = schema as Record<string, unknown>;
  const allowed = new Set(["type", "properties", "required", "additionalProperties", "description"]);
  return (
    node.type === "object" &&
    typeof node.properties === "object" &&
    node.properties !== null &&
    (node.additionalProperties === undefined || node.additionalProperties === false) &&
    Object.keys(node).every((key) => allowed.has(key))
  );
}

/** Fixed text and free values of a call to `tool`, in order. */
function argumentSegments(tool: CompiledTool): Segment[] {
  const schema = tool.grammarSchema as unknown;
  if (!isPlainObjectSchema(schema)) return [{ value: schema as object }];
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

function withResponsePrefix(history: ChatHistoryItem[], prefix: string): ChatHistoryItem[] {
  const last = history.at(-1);
  if (last?.type === "model") {
    return [...history.slice(0, -1), { ...last, response: [...last.response, prefix] }];
  }
  return [...history, { type: "model", response: [prefix] }];
}

export async function jumpForwardToolCall(options: JumpForwardOptions): Promise<JumpForwardResult> {
  const { llama, model, sequence, tools } = options;
  const maxTokens = options.maxTokensPerValue ?? 96;
  const temperature = options.temperature ?? 0;
  const result: JumpForwardResult = { text: "", forcedTokens: 0, sampledTokens: 0, stages: 0 };
  let pending = '{"name": ';
  let chosen: CompiledTool | undefined;
  if (tools.tools.length === 1) {
    chosen = tools.tools[0];
    pending += `${JSON.stringify(chosen.modelName)}, "arguments": `;
  }

  // Stage one goes through LlamaChat: it renders the prompt exactly as a forced call does and
  // evaluates it together with the fixed prefix; later stages append tokens to the sequence.
  let first = true;
  const sample = async (schema: object): Promise<string> => {
    const grammar = await valueGrammar(llama, schema);
    result.stages++;
    if (first) {
      first = false;
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper: options.chatWrapper });
      try {
        const before = sequence.tokenMeter.getState();
        const response = await chat.generateResponse(
          withResponsePrefix(options.history, pending),
          { grammar, maxTokens, temperature, budgets: { thoughtTokens: 0 } },
        );
        const used = sequence.tokenMeter.diff(before);
        result.forcedTokens += model.tokenize(pending).length;
        result.sampledTokens += used.usedOutputTokens;
        result.text += pending + response.response;
        pending = "";
        return response.response;
      } finally {
        chat.dispose({ disposeSequence: false });
      }
    }
    const fixed = pending ? model.tokenize(pending) : [];
    result.forcedTokens += fixed.length;
    result.text += pending;
    pending = "";
    const state = new LlamaGrammarEvaluationState({ model, grammar });
    const generated: Token[] = [];
    // `fixed` is evaluated in the same batch as the first sampled step.
    const input = fixed.length > 0 ? fixed : [];
    if (input.length === 0) throw new Error("jump-forward: a value stage needs fixed text before it");
    for await (const token of sequence.evaluate(input, { temperature, grammarEvaluationState: state })) {
      if (model.isEogToken(token) || generated.length >= maxTokens) break;
      generated.push(token);
    }
    result.sampledTokens += generated.length;
    const text = model.detokenize(generated);
    result.text += text;
    return text;
  };

  if (!chosen) {
    const name = await sample({ enum: tools.tools.map((tool) => tool.modelName) });
    const modelName = JSON.parse(name) as string;
    chosen = tools.tools.find((tool) => tool.modelName === modelName);
    if (!chosen) throw new Error(`jump-forward: the model chose an unknown tool ${name}`);
    pending += ', "arguments": ';
  }
  for (const segment of argumentSegments(chosen)) {
    if ("fixed" in segment) pending += segment.fixed;
    else await sample(segment.value);
  }
  // The closing text needs no evaluation now: the next turn's prompt contains it.
  result.text += `${pending}}`;
  return result;
}
