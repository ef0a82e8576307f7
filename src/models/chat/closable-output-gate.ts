import type { Token } from "node-llama-cpp";

/**
 * Grammar-constrained output (a forced call or structured output under one grammar) let out of
 * LlamaChat only as far as it can still be closed within `maxTokens`.
 *
 * Generation keeps back the tokens of the schema's shortest value, but a closing written from
 * deeper inside can be longer (an optional object the model opened needs every key it
 * requires, where its shortest value was null). So after each piece the exact closing from
 * there is measured; the output kept is the longest prefix whose tokens plus closing fit, and
 * only that much is streamed (trailing whitespace waits, since node-llama-cpp trims it from the
 * reply). Text past it is never sent, so the stream stays a prefix of the final output.
 * Why not stop generation there: a later piece can fit again (the closing shrinks once the
 * opened object is complete), and LlamaChat's own budget already ends generation.
 */
export class ClosableOutputGate {
  private tokens = 0;
  private text = "";
  private newTokens = 0;
  private keptTokens = 0;
  private keptText = "";
  private sent = "";

  constructor(
    private readonly options: {
      maxTokens: number;
      /** Tokens of the text that closes `text` within the schema. */
      closingTokens: (text: string) => number;
      emit: (text: string) => void;
    },
  ) {}

  /** node-llama-cpp's onToken: the response tokens of the text chunk that follows. */
  onToken(tokens: Token[]): void {
    this.newTokens += tokens.length;
  }

  /** node-llama-cpp's onTextChunk, right after onToken with the same tokens. */
  onTextChunk(chunk: string): void {
    this.tokens += this.newTokens;
    this.newTokens = 0;
    this.text += chunk;
    if (this.tokens + this.options.closingTokens(this.text) > this.options.maxTokens) return;
    this.keptTokens = this.tokens;
    this.keptText = this.text;
    this.send(this.text.trimEnd());
  }

  /** The output that can be closed within the budget; `whole` when nothing was left out. */
  get kept(): { tokens: number; text: string; whole: boolean } {
    return { tokens: this.keptTokens, text: this.keptText, whole: this.keptTokens === this.tokens };
  }

  /** Sends what the final output holds beyond what was streamed (held text, the closing). */
  finish(output: string): void {
    this.send(output);
  }

  private send(upTo: string): void {
    if (upTo.length <= this.sent.length || !upTo.startsWith(this.sent)) return;
    this.options.emit(upTo.slice(this.sent.length));
    this.sent = upTo;
  }
}
