import { type ParseArgsConfig, parseArgs } from "node:util";
import { describeRange, inRange, type NumberRange } from "../util/number-range.js";
import { CliUsageError } from "./command.js";

/** A token that is a negative number (`-1`, `-0.5`, `-.5`, `-Infinity`) rather than a flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity$)/;

/**
 * node's `parseArgs`, with two changes for people at a terminal. `--limit -1` is read as the
 * value -1 (parseArgs takes a leading dash for a flag and calls the argument "ambiguous"), so
 * the range check can say what is wrong with it; and its errors are usage errors.
 */
export function parseCliArgs<T extends ParseArgsConfig>(config: T) {
  const options = config.options ?? {};
  const args = [...(config.args ?? process.argv.slice(2))];
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = args[i + 1];
    const option = arg.startsWith("--") && !arg.includes("=") ? options[arg.slice(2)] : undefined;
    if (option?.type === "string" && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  try {
    return parseArgs({ ...config, args: joined });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The one reading of a numeric flag for every command: undefined when the flag is absent, else a
 * finite number inside the stated range, or a usage error in one wording that states the range,
 * e.g. `--limit must be an integer ≥ 1 (got -1)`.
 */
export function parseNumberFlag(
  flag: string,
  value: string | undefined,
  range: NumberRange = {},
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const parsed = text === "" ? Number.NaN : Number(text);
  if (!inRange(parsed, range)) {
    const got = text !== "" && !Number.isNaN(Number(text)) ? text : JSON.stringify(value);
    throw new CliUsageError(`${flag} must be ${describeRange(range)} (got ${got})`);
  }
  return parsed;
}
