import { type Llama, LlamaGrammar, type LlamaJsonSchemaGrammar } from "node-llama-cpp";
import { getOrCreate } from "../../util/get-or-create.js";
import type { GbnfJsonSchema } from "../schema/types.js";
import type { ToolCallSchemaOptions } from "./call-schema.js";
import { type CompiledToolSet, compileTools, type ResolvedToolCall } from "./compile-tools.js";
import { tightenJsonGrammar } from "./tighten-gbnf.js";
import type { ToolLike } from "./tool-input.js";

export interface ToolCallGrammarOptions extends ToolCallSchemaOptions {
  /** Only these tools (the caller's names), e.g. for `tool_choice: "<name>"`. */
  toolNames?: readonly string[];
}

/**
 * node-llama-cpp's JSON-schema grammar with tightened number and string rules (see
 * tighten-gbnf.ts). Pass it as `grammar` to `LlamaChat.generateResponse`.
 */
export class JsonGrammar extends LlamaGrammar {
  constructor(
    llama: Llama,
    private readonly validating: LlamaJsonSchemaGrammar<GbnfJsonSchema>,
    readonly schema: GbnfJsonSchema,
  ) {
    super(llama, {
      grammar: tightenJsonGrammar(validating.grammar),
      stopGenerationTriggers: validating.stopGenerationTriggers,
      trimWhitespaceSuffix: validating.trimWhitespaceSuffix,
    });
  }

  /** JSON.parse plus node-llama-cpp's check against the schema (throws when invalid). */
  parse(text: string): unknown {
    return this.validating.parse(text);
  }
}

function schemaGrammar(
  llama: Llama,
  schema: GbnfJsonSchema,
): Promise<LlamaJsonSchemaGrammar<GbnfJsonSchema>> {
  // The schema is built at run time; node-llama-cpp's literal-inferring generics cannot follow it.
  const create = llama.createGrammarForJsonSchema.bind(llama) as (
    schema: GbnfJsonSchema,
  ) => Promise<LlamaJsonSchemaGrammar<GbnfJsonSchema>>;
  return create(schema);
}

/** A grammar for any normalised grammar schema, e.g. `compileTool(...).grammarSchema`. */
export async function createJsonGrammar(
  llama: Llama,
  schema: GbnfJsonSchema,
): Promise<JsonGrammar> {
  return new JsonGrammar(llama, await schemaGrammar(llama, schema), schema);
}

const jsonGrammars = new WeakMap<object, WeakMap<Llama, Promise<JsonGrammar>>>();

/**
 * `createJsonGrammar`, cached by the schema object's identity (a compiled tool's
 * `grammarSchema` is stable): structured-output steps run on every graph turn, and building
 * the GBNF and its native grammar each time is work repeated on the hot path.
 */
export function getJsonGrammar(llama: Llama, schema: GbnfJsonSchema): Promise<JsonGrammar> {
  const byLlama = getOrCreate(jsonGrammars, schema, () => new WeakMap());
  return getOrCreate(byLlama, llama, () => {
    const grammar = createJsonGrammar(llama, schema);
    grammar.catch(() => byLlama.delete(llama));
    return grammar;
  });
}

/** The grammar forcing tool calls; `parseCalls(text)` maps them back to the caller's tools. */
export class ToolCallGrammar extends JsonGrammar {
  constructor(
    llama: Llama,
    validating: LlamaJsonSchemaGrammar<GbnfJsonSchema>,
    readonly tools: CompiledToolSet,
    schema: GbnfJsonSchema,
  ) {
    super(llama, validating, schema);
  }

  /** The calls in the generated text, mapped to the caller's names, cleaned and validated. */
  parseCalls(text: string): ResolvedToolCall[] {
    return this.tools.parseCalls(this.parse(text));
  }
}

const grammars = new WeakMap<
  CompiledToolSet,
  WeakMap<Llama, Map<string, Promise<ToolCallGrammar>>>
>();

function isCompiledSet(value: unknown): value is CompiledToolSet {
  return (
    typeof value === "object" &&
    value !== null &&
    "resolveCall" in value &&
    "callSchemaFor" in value
  );
}

async function createToolCallGrammar(
  llama: Llama,
  set: CompiledToolSet,
  schema: GbnfJsonSchema,
): Promise<ToolCallGrammar> {
  return new ToolCallGrammar(llama, await schemaGrammar(llama, schema), set, schema);
}

/**
 * The grammar forcing one call (or with `parallel`, an array of calls) over these tools;
 * cached per tool set, Llama instance and options.
 */
export function getToolCallGrammar(
  llama: Llama,
  tools: CompiledToolSet | readonly ToolLike[],
  options: ToolCallGrammarOptions = {},
): Promise<ToolCallGrammar> {
  const set = isCompiledSet(tools) ? tools : compileTools(tools);
  const byLlama = getOrCreate(grammars, set, () => new WeakMap());
  const byOptions = getOrCreate(byLlama, llama, () => new Map());
  const key = JSON.stringify([options.parallel ?? false, options.maxCalls, options.toolNames]);
  return getOrCreate(byOptions, key, () => {
    const grammar = createToolCallGrammar(llama, set, set.callSchemaFor(options));
    grammar.catch(() => byOptions.delete(key));
    return grammar;
  });
}
