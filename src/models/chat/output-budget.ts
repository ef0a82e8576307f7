/**
 * A `maxTokens` below the shortest complete output a call must produce: a forced tool call or
 * a structured output is always complete, schema-valid JSON, so a budget that cannot hold even
 * the smallest valid one is refused before anything is sampled (and before a sequence is
 * taken) rather than overrun or cut into invalid JSON.
 */
export class OutputBudgetError extends RangeError {
  override readonly name = "OutputBudgetError";
  constructor(
    readonly maxTokens: number,
    /** Output tokens of the shortest complete output: the smallest maxTokens that works. */
    readonly minimumTokens: number,
    what: string,
  ) {
    super(
      `maxTokens ${maxTokens} cannot hold ${what}: the shortest complete one is ${minimumTokens} tokens. ` +
        `Raise maxTokens to at least ${minimumTokens} (more leaves the model room to write its values).`,
    );
  }
}
