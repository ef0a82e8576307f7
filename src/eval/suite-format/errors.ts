/** A suite file that does not follow the format; the message names the file, line and field. */
export class SuiteFormatError extends Error {
  override name = "SuiteFormatError";
  constructor(
    message: string,
    readonly source: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    const where = line === undefined ? source : `${source}:${line}`;
    super(`${where}: ${field ? `field "${field}": ` : ""}${message}`);
  }
}
