import {
  type ChatHistoryItem,
  type ChatModelFunctions,
  LlamaChat,
  type LlamaChatResponse,
  type Token,
} from "node-llama-cpp";

/** What node-llama-cpp itself did in one `LlamaChat.generateResponse` call. */
export interface GenerateRecord {
  startMs: number;
  endMs: number;
  /** Prompt tokens evaluated (the rest of the prompt came from the sequence's KV cache). */
  evaluatedPromptTokens: number;
  outputTokens: number;
  /** The whole prompt as LlamaChat renders it; only with `capturePrompts`. */
  prompt?: Token[];
}

type GenerateResponse = LlamaChat["generateResponse"];

/**
 * Times every `LlamaChat.generateResponse` call in the process while active: the time
 * node-llama-cpp alone spends on a graph's model calls (rendering, tokenizing, evaluating,
 * sampling), measured inside the same run as the graph's wall time. A measurement probe for
 * benchmarks only: it wraps the prototype method and puts it back on `stop()`.
 */
export class GenerateProbe {
  readonly records: GenerateRecord[] = [];
  private original: GenerateResponse | undefined;

  constructor(private readonly options: { capturePrompts?: boolean } = {}) {}

  start(): this {
    if (this.original) return this;
    const original = LlamaChat.prototype.generateResponse;
    this.original = original;
    const records = this.records;
    const capture = this.options.capturePrompts ?? false;
    LlamaChat.prototype.generateResponse = async function (
      this: LlamaChat,
      history: ChatHistoryItem[],
      options?: Parameters<GenerateResponse>[1],
    ): Promise<LlamaChatResponse> {
      const sequence = this.sequence;
      const before = sequence.tokenMeter.getState();
      const startMs = performance.now();
      const response = (await original.call(this, history, options as never)) as LlamaChatResponse;
      const endMs = performance.now();
      const used = sequence.tokenMeter.diff(before);
      const record: GenerateRecord = {
        startMs,
        endMs,
        evaluatedPromptTokens: used.usedInputTokens,
        outputTokens: used.usedOutputTokens,
      };
      if (capture) {
        // Rendered exactly as LlamaChat renders it: same wrapper, same documented functions.
        const functions = (options as { functions?: ChatModelFunctions } | undefined)?.functions;
        const documentParams = (options as { documentFunctionParams?: boolean } | undefined)
          ?.documentFunctionParams;
        const open: ChatHistoryItem[] =
          history.at(-1)?.type === "model"
            ? history
            : [...history, { type: "model", response: [] }];
        const { contextText } = this.chatWrapper.generateContextState({
          chatHistory: open,
          availableFunctions: functions,
          documentFunctionParams: documentParams,
        });
        record.prompt = contextText.tokenize(sequence.model.tokenizer);
      }
      records.push(record);
      return response;
    } as GenerateResponse;
    return this;
  }

  stop(): void {
    if (this.original) LlamaChat.prototype.generateResponse = this.original;
    this.original = undefined;
  }

  /** Total ms node-llama-cpp spent in the recorded calls. */
  get totalMs(): number {
    return this.records.reduce((total, record) => total + (record.endMs - record.startMs), 0);
  }
}

/**
 * Distinct prompt tokens over a set of prompts: the tokens a perfect prefix cache would
 * evaluate (the nodes of the prompts' token trie). Every prompt shares its longest prefix with
 * some earlier one; only the rest is new.
 */
export function distinctPromptTokens(prompts: readonly (readonly number[])[]): number {
  type Node = Map<number, Node>;
  const root: Node = new Map();
  let nodes = 0;
  for (const prompt of prompts) {
    let node = root;
    for (const token of prompt) {
      let next = node.get(token);
      if (!next) {
        next = new Map();
        node.set(token, next);
        nodes++;
      }
      node = next;
    }
  }
  return nodes;
}
