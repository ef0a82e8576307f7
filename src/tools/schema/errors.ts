/** A tool whose definition Hearth cannot turn into a grammar and a validator. */
export class ToolDefinitionError extends Error {
  override readonly name = "ToolDefinitionError";
  readonly toolName: string | undefined;
  /** JSON Pointer into the tool's parameter schema, when the problem is inside it. */
  readonly path: string | undefined;
  readonly keyword: string | undefined;

  constructor(
    problem: string,
    details: { toolName?: string; path?: string; keyword?: string; fix?: string } = {},
  ) {
    const where = [
      details.toolName !== undefined ? `Tool "${details.toolName}"` : "Tool definition",
      details.path !== undefined ? ` at ${details.path}` : "",
    ].join("");
    super(`${where}: ${problem}${details.fix ? ` ${details.fix}` : ""}`);
    this.toolName = details.toolName;
    this.path = details.path;
    this.keyword = details.keyword;
  }
}
