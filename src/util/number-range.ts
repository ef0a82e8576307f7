/** The range a numeric option or flag must fall in. */
export interface NumberRange {
  /** Whole numbers only. */
  integer?: boolean;
  min?: number;
  max?: number;
}

export function describeRange({ integer, min, max }: NumberRange): string {
  const kind = integer ? "an integer" : "a number";
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

/** Finite, whole where asked, and inside the bounds. */
export function inRange(value: number, range: NumberRange): boolean {
  return (
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max)
  );
}

/**
 * The one check for numeric options of Hearth's API, in the wording the CLI's flags use:
 * `maxTokens must be an integer ≥ 1 (got 1.5)`. Undefined passes (the option's default applies).
 */
export function checkNumberOption(
  name: string,
  value: number | undefined,
  range: NumberRange,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !inRange(value, range)) {
    throw new RangeError(`${name} must be ${describeRange(range)} (got ${String(value)})`);
  }
  return value;
}
