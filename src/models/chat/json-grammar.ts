import type { GbnfJsonSchema, Llama, LlamaGrammar } from "node-llama-cpp";

export interface JsonGrammar {
  grammar: LlamaGrammar;
  /** Parses the constrained output; throws with the text when it is cut short. */
  parse(text: string): unknown;
}

// node-llama-cpp's integer rule admits an exponent ("5e-3"), i.e. non-integers; its own
// validator then rejects them. Hearth drops the exponent so integers are integers.
const INTEGER_RULE = /^integer-number-rule ::= .*$/m;
const INTEGER_RULE_FIXED = 'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15})';

const cache = new WeakMap<Llama, Map<string, Promise<JsonGrammar>>>();

export function jsonSchemaGrammar(llama: Llama, schema: GbnfJsonSchema): Promise<JsonGrammar> {
  let perLlama = cache.get(llama);
  if (!perLlama) {
    perLlama = new Map();
    cache.set(llama, perLlama);
  }
  const key = JSON.stringify(schema);
  let result = perLlama.get(key);
  if (!result) {
    result = build(llama, schema);
    perLlama.set(key, result);
    result.catch(() => perLlama.delete(key));
  }
  return result;
}

async function build(llama: Llama, schema: GbnfJsonSchema): Promise<JsonGrammar> {
  // biome-ignore lint/suspicious/noExplicitAny: GbnfJsonSchema's generic inference is too deep for a dynamic schema.
  const base = await llama.createGrammarForJsonSchema(schema as any);
  const text = base.grammar.replace(INTEGER_RULE, INTEGER_RULE_FIXED);
  const grammar =
    text === base.grammar
      ? base
      : await llama.createGrammar({ grammar: text, stopGenerationTriggers: [] });
  return {
    grammar,
    parse(output: string) {
      try {
        return JSON.parse(output.trim());
      } catch {
        throw new Error(
          `The model's grammar-constrained output is not complete JSON (generation stopped early — raise maxTokens or bound string lengths with maxLength): ${output.slice(0, 200)}`,
        );
      }
    },
  };
}
