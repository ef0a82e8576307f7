import { createInterface } from "node:readline";
import type { ApprovalDecision, ApprovalRequest } from "../graph/index.js";

export interface ApprovalPromptOptions {
  /** `--yes`: approve every call without asking. */
  yes: boolean;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/** Thrown when calls need approval and there is no terminal to ask on (and no `--yes`). */
export class ApprovalRefusedError extends Error {
  override name = "ApprovalRefusedError";
}

const describeCall = (action: ApprovalRequest["actionRequests"][number]) =>
  `${action.name} ${JSON.stringify(action.args)} (call ${action.id})`;

/**
 * The decisions for one approval request, asked at the terminal: y runs the call as shown, n (or
 * an empty answer) rejects it, with an optional reason the model is told. With `--yes` every call
 * is approved; with neither a terminal nor `--yes` nothing runs and the caller is told how to go on.
 */
export async function askApproval(
  request: ApprovalRequest,
  options: ApprovalPromptOptions,
): Promise<ApprovalDecision[]> {
  const calls = request.actionRequests;
  if (options.yes) {
    for (const action of calls) options.output.write(`approved (--yes): ${describeCall(action)}\n`);
    return calls.map(() => ({ type: "approve" }));
  }
  if (!options.input.isTTY) {
    throw new ApprovalRefusedError(
      `the agent wants to run ${calls.map(describeCall).join(", ")}, which needs approval, and there is no terminal to ask on. Nothing ran. Run it in a terminal to answer y/n, or pass --yes to approve every call.`,
    );
  }
  const reader = createInterface({ input: options.input, terminal: false });
  // The line iterator buffers what was typed ahead; the end of input answers "" (no).
  const lines = reader[Symbol.asyncIterator]();
  const question = async (text: string) => {
    options.output.write(text);
    const next = await lines.next();
    return next.done ? "" : String(next.value).trim();
  };
  try {
    const decisions: ApprovalDecision[] = [];
    for (const action of calls) {
      const answer = await question(`Run ${describeCall(action)}? [y/N] `);
      if (/^y(es)?$/i.test(answer)) {
        decisions.push({ type: "approve" });
        continue;
      }
      const reason = await question("Reason to tell the model (optional): ");
      decisions.push(reason ? { type: "reject", message: reason } : { type: "reject" });
    }
    return decisions;
  } finally {
    reader.close();
  }
}
