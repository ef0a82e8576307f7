import type { LlamaModel } from "node-llama-cpp";
import {
  argumentSegments,
  type CallEnvelope,
  closedOptions,
} from "../../models/chat/jump-forward.js";
import type { CompiledTool } from "../../tools/index.js";

/**
 * What the real decode writes for an output the oracle chose, as text and as the tokens the
 * call would put after its prompt. Three forms:
 *
 * - structured output (route, verdict): the JSON under node-llama-cpp's grammar, written with
 *   the spacing Hearth's own fixed JSON uses (`{"key": value, "key": value}`, keys in schema
 *   order). The grammar allows this spacing among others and then forces its `\n\n\n\n` stop;
 *   the target ends with the `}`.
 * - a forced call (jump-forward): `<tool_call>\n{"name": "t", "arguments": {…}}\n</tool_call>`,
 *   tokenized piece by piece as jump-forward feeds it (envelope with special tokens, each run of
 *   fixed text on its own, each value as sampled, the tool name up to where it is decided).
 * - free text: the text, then the end-of-turn token the decode stops on.
 */
export interface Target {
  text: string;
  tokens: number[];
}

export function structuredJson(
  value: Record<string, unknown>,
  keyOrder: readonly string[],
): string {
  const keys = [
    ...keyOrder.filter((key) => key in value),
    ...Object.keys(value).filter((key) => !keyOrder.includes(key)),
  ];
  return `{${keys.map((key) => `${JSON.stringify(key)}: ${JSON.stringify(value[key])}`).join(", ")}}`;
}

const tokenizer = (model: LlamaModel) => ({
  text: (text: string) => [...model.tokenize(text, false, "trimLeadingSpace")] as number[],
  special: (text: string) => [...model.tokenize(text, true, "trimLeadingSpace")] as number[],
});

export function structuredTarget(model: LlamaModel, json: string): Target {
  return { text: json, tokens: tokenizer(model).text(json) };
}

export function freeTextTarget(model: LlamaModel, text: string): Target {
  const end = model.tokens.eos;
  if (end === null)
    throw new Error("The model has no end-of-sequence token to end a free-text target with.");
  return {
    text: `${text}${model.detokenize([end], true)}`,
    tokens: [...tokenizer(model).text(text), end],
  };
}

/**
 * A forced call's output as jump-forward writes it (see jump-forward.ts): `call` is the JSON
 * the call returns (`{"name", "arguments"}`); `target` adds the envelope.
 */
export function forcedCallTarget(
  model: LlamaModel,
  envelope: CallEnvelope,
  candidates: readonly CompiledTool[],
  chosen: CompiledTool,
  args: Record<string, unknown>,
): { call: string; target: Target } {
  const tokenize = tokenizer(model);
  const tokens: number[] = [];
  let pending = '{"name": ';
  let json = "";
  const flush = () => {
    if (tokens.length === 0 && envelope.before) tokens.push(...tokenize.special(envelope.before));
    if (pending) tokens.push(...tokenize.text(pending));
    json += pending;
    pending = "";
  };
  const nameJson = JSON.stringify(chosen.modelName);
  if (candidates.length === 1) {
    pending += nameJson;
  } else {
    flush();
    // Sampled until the prefix names one tool; the rest of the name is fixed text.
    const options = candidates.map((tool) => JSON.stringify(tool.modelName));
    const taken: number[] = [];
    for (const token of tokenize.text(nameJson)) {
      taken.push(token);
      const sofar = model.detokenize(taken as never);
      const left = options.filter((option) => option.startsWith(sofar));
      if (left.length === 1) {
        pending = left[0].slice(sofar.length);
        break;
      }
    }
    tokens.push(...taken);
    json += model.detokenize(taken as never);
  }
  pending += `, ${JSON.stringify(envelope.argumentsKey)}: `;
  const properties = Object.keys(
    (chosen.grammarSchema as { properties?: Record<string, unknown> }).properties ?? {},
  );
  let index = 0;
  for (const segment of argumentSegments(chosen)) {
    if ("fixed" in segment) {
      pending += segment.fixed;
      continue;
    }
    const key = properties[index++];
    // A schema that is not a plain object is one value: the whole arguments.
    const value = JSON.stringify(key === undefined ? args : (args[key] ?? null));
    const choices = closedOptions(segment.value);
    if (choices?.length === 1) {
      pending += choices[0];
      continue;
    }
    flush();
    tokens.push(...tokenize.text(value));
    json += value;
  }
  // The closing of the envelope object, then the family's closing tag.
  const closing = `${pending}}`;
  tokens.push(...tokenize.text(closing));
  json += closing;
  if (envelope.after) tokens.push(...tokenize.special(envelope.after));
  const call =
    envelope.argumentsKey === "arguments"
      ? json
      : JSON.stringify({
          name: chosen.modelName,
          arguments: JSON.parse(json)[envelope.argumentsKey],
        });
  return { call, target: { text: `${envelope.before}${json}${envelope.after}`, tokens } };
}
