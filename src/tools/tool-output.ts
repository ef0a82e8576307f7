import { isDirectToolOutput, ToolMessage } from "@langchain/core/messages/tool";
import type { StructuredToolInterface } from "@langchain/core/tools";

export type CheckedOutput = { ok: true; content: unknown } | { ok: false; problem: string };

const isContentBlocks = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((item) => typeof item === "object" && item !== null && "type" in item);

/**
 * What a tool's result becomes for the model: strings and content blocks as they are, any other
 * value as JSON. LangChain's own conversion turns `undefined` into "" and a circular object into
 * "[object Object]", both marked success; here every value JSON cannot hold faithfully is named
 * instead (undefined, functions, BigInt, cycles, Map and Set, which JSON writes as `{}`).
 */
export function checkToolOutput(value: unknown): CheckedOutput {
  if (typeof value === "string" || isContentBlocks(value)) return { ok: true, content: value };
  if (value === undefined) return { ok: false, problem: "undefined (no result)" };
  let lossy: string | undefined;
  try {
    const text = JSON.stringify(value, (_key, item: unknown) => {
      if (item instanceof Map || item instanceof Set) lossy ??= `a ${item.constructor.name}`;
      return item;
    });
    if (lossy !== undefined) {
      return { ok: false, problem: `${lossy}, which JSON would write as {} (convert it first)` };
    }
    if (text === undefined) return { ok: false, problem: `a ${typeof value}, which is not data` };
    return { ok: true, content: text };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, problem: `a value JSON cannot hold (${reason})` };
  }
}

function outputError(name: string, problem: string, callId: string): ToolMessage {
  return new ToolMessage({
    status: "error",
    name,
    tool_call_id: callId,
    content: `Error: tool "${name}" returned ${problem}; a tool must return a string or a JSON-serialisable value. The fault is in the tool, not in the call.`,
  });
}

type Call = (arg: unknown, runManager: unknown, config?: { toolCall?: { id?: string } }) => unknown;

/**
 * The tool with its results checked by `checkToolOutput` before LangChain formats them: a result
 * that cannot be written faithfully becomes an error ToolMessage naming the problem. The check
 * sits on `_call`, the one step between the tool's function and LangChain's formatting that sees
 * the raw value; the original tool is not changed.
 */
export function withCheckedOutput<T extends StructuredToolInterface>(tool: T): T {
  const original = (tool as unknown as { _call?: Call })._call;
  if (typeof original !== "function") return tool;
  const checked = Object.create(tool) as T & { _call: Call };
  checked._call = async function (this: T, arg, runManager, config) {
    const raw = await original.call(this, arg, runManager, config);
    const pair = (tool as { responseFormat?: string }).responseFormat === "content_and_artifact";
    if (pair && !(Array.isArray(raw) && raw.length === 2)) return raw; // LangChain names this error.
    const content = pair ? (raw as unknown[])[0] : raw;
    if (isDirectToolOutput(content)) return raw;
    if (typeof content === "object" && content !== null && Symbol.asyncIterator in content) {
      return raw; // A streaming tool: LangChain collects it.
    }
    const result = checkToolOutput(content);
    const value = result.ok
      ? result.content
      : outputError(tool.name, result.problem, config?.toolCall?.id ?? "");
    return pair ? [value, (raw as unknown[])[1]] : value;
  };
  return checked;
}
