/** One `hearth <name>` subcommand. `run` returns the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** An error whose message is meant for the person at the terminal: printed without a stack. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
}
