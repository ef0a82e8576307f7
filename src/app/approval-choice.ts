import type { ApproveToolsOption } from "../graph/index.js";

/**
 * `createAgentGraph`'s `approveTools` from text, as `hearth ask --approve` and Studio's
 * HEARTH_APPROVE give it: tool names separated by commas, or "all".
 */
export function approvalChoice(
  label: string,
  value: string | undefined,
  names: string[],
  ErrorType: new (message: string) => Error = Error,
): ApproveToolsOption | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (value.trim() === "all") return () => true;
  const chosen = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = chosen.filter((name) => !names.includes(name));
  if (chosen.length === 0 || unknown.length > 0) {
    throw new ErrorType(
      `${label} takes tool names separated by commas, or "all"; tools here: ${names.join(", ")} (got ${JSON.stringify(value)})`,
    );
  }
  return chosen;
}
