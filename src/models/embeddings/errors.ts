/** An input the embedding model cannot take as it is; the message says what to do instead. */
export class EmbeddingInputError extends Error {
  constructor(
    readonly problem: "too-long" | "empty",
    /** Position of the input in the call. */
    readonly index: number,
    message: string,
    /** Tokens the input needs, BOS/EOS included (too-long only). */
    readonly tokens?: number,
    /** Most tokens one input may have (too-long only). */
    readonly limit?: number,
  ) {
    super(message);
    this.name = "EmbeddingInputError";
  }
}
