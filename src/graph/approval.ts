import { AIMessage, ToolMessage } from "@langchain/core/messages";
import type { ToolCall } from "@langchain/core/messages/tool";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { isInteropZodError } from "@langchain/core/utils/types";
import { interrupt, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { compileTools } from "../tools/index.js";

// The request and response follow LangChain's human-in-the-loop middleware (`actionRequests`,
// `reviewConfigs`, `decisions`), so a UI written for LangChain agents can answer Hearth's too.

/** One tool call waiting for a person: its id, tool name and arguments. */
export interface ActionRequest {
  id: string;
  name: string;
  args: Record<string, unknown>;
  description: string;
}

export type ApprovalDecisionType = "approve" | "edit" | "reject";

export interface ReviewConfig {
  actionName: string;
  allowedDecisions: ApprovalDecisionType[];
}

/** The value of the LangGraph interrupt the graph raises before running calls that need approval. */
export interface ApprovalRequest {
  actionRequests: ActionRequest[];
  reviewConfigs: ReviewConfig[];
}

export type ApprovalDecision =
  | { type: "approve" }
  | { type: "edit"; editedAction: { name: string; args: Record<string, unknown> } }
  | { type: "reject"; message?: string };

/** What `new Command({ resume })` carries back: one decision per action request, in order. */
export interface ApprovalResponse {
  decisions: ApprovalDecision[];
}

/**
 * Which calls wait for a person: tool names, or a function deciding per call. Tools defined with
 * `needsApproval: true` (or LangChain tools with `metadata: { needsApproval: true }`) always do.
 */
export type ApproveToolsOption = readonly string[] | ((call: ToolCall) => boolean);

export const toolNeedsApproval = (tool: StructuredToolInterface): boolean =>
  (tool as { metadata?: Record<string, unknown> }).metadata?.needsApproval === true;

/** The graph's approval rule, with names checked against the tools when the graph is built. */
export function approvalPolicy(
  tools: readonly StructuredToolInterface[],
  option: ApproveToolsOption | undefined,
): (call: ToolCall) => boolean {
  const marked = new Set(tools.filter(toolNeedsApproval).map((tool) => tool.name));
  if (Array.isArray(option)) {
    const known = new Set(tools.map((tool) => tool.name));
    const unknown = option.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new Error(
        `approveTools names ${unknown.map((n) => `"${n}"`).join(", ")}, which ${unknown.length === 1 ? "is not a tool" : "are not tools"} of this graph; tools: ${[...known].join(", ") || "none"}.`,
      );
    }
    for (const name of option) marked.add(name);
  }
  const decide = typeof option === "function" ? option : undefined;
  return (call) => marked.has(call.name) || (decide?.(call) ?? false);
}

const argsSchema = z.record(z.string(), z.unknown());
const decisionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("approve") }),
  z.object({
    type: z.literal("edit"),
    editedAction: z.object({ name: z.string(), args: argsSchema }),
  }),
  z.object({ type: z.literal("reject"), message: z.string().optional() }),
]);

/**
 * The resume value's schema for one request: one decision per call, and edited arguments valid
 * for the call's tool. LangGraph checks it before the node goes on (`interrupt`'s
 * `responseSchema`); a resume that fails leaves the interrupt pending, to be answered again.
 */
function responseSchema(requests: ActionRequest[], tools: readonly StructuredToolInterface[]) {
  const compiled = compileTools(tools);
  return z.object({ decisions: z.array(decisionSchema) }).superRefine((response, ctx) => {
    if (response.decisions.length !== requests.length) {
      ctx.addIssue({
        code: "custom",
        path: ["decisions"],
        message: `expected ${requests.length} decision(s), one per action request in order; got ${response.decisions.length}`,
      });
      return;
    }
    response.decisions.forEach((decision, index) => {
      if (decision.type !== "edit") return;
      const request = requests[index];
      if (decision.editedAction.name !== request.name) {
        ctx.addIssue({
          code: "custom",
          path: ["decisions", index, "editedAction", "name"],
          message: `an edit keeps the tool: expected "${request.name}", got "${decision.editedAction.name}"`,
        });
        return;
      }
      const checked = compiled.get(request.name)?.validate(decision.editedAction.args);
      if (checked && !checked.ok) {
        ctx.addIssue({
          code: "custom",
          path: ["decisions", index, "editedAction", "args"],
          message: `edited arguments for call ${request.id}: ${checked.error}`,
        });
      }
    });
  });
}

/**
 * `interrupt` with the resume checked; a resume that fails is reported in one readable line, its
 * Zod error kept as the cause (LangGraph follows the cause to keep the interrupt pending).
 */
function askOnce(request: ApprovalRequest, schema: ReturnType<typeof responseSchema>) {
  try {
    return interrupt<ApprovalRequest, ApprovalResponse>(request, { responseSchema: schema });
  } catch (error) {
    if (!isInteropZodError(error)) throw error;
    const { issues } = error as { issues: Array<{ path: PropertyKey[]; message: string }> };
    const problems = issues.map((issue) => `${issue.path.map(String).join(".")}: ${issue.message}`);
    throw new Error(
      `The approval answer was not used (${problems.join("; ")}). Nothing ran; resume again with { decisions: [...] }, one { type: "approve" | "edit" | "reject" } per action request.`,
      { cause: error },
    );
  }
}

export interface ReviewedCalls {
  /** The proposal with edited arguments in place (the same message id, so it replaces the old one). */
  proposal: AIMessage;
  /** Error ToolMessages for the rejected calls, to go back to the model. */
  rejected: ToolMessage[];
}

function rejectionMessage(call: ToolCall, reason: string | undefined): ToolMessage {
  const why = reason?.trim() ? ` Reason: ${reason.trim()}` : "";
  return new ToolMessage({
    status: "error",
    name: call.name,
    tool_call_id: call.id ?? "",
    content: `Error: the user rejected this call to "${call.name}"; it did not run.${why} Do not call it again unless the user asks; answer with what you have.`,
    response_metadata: { approval: "rejected" },
  });
}

/**
 * Pauses the run with a LangGraph `interrupt` when any call needs approval, before any of them
 * runs (the node starts over on resume, so nothing may have happened yet), and applies the
 * decisions: approved calls run as proposed, edited ones with the new arguments, rejected ones
 * are answered with an error ToolMessage. Calls that need no approval run in any case.
 */
export function reviewCalls(
  proposal: AIMessage,
  calls: ToolCall[],
  needsApproval: (call: ToolCall) => boolean,
  tools: readonly StructuredToolInterface[],
  config: LangGraphRunnableConfig,
): ReviewedCalls {
  const pending = calls.filter(needsApproval);
  if (pending.length === 0) return { proposal, rejected: [] };
  if (!config.configurable?.__pregel_checkpointer) {
    throw new Error(
      `Tool calls to ${[...new Set(pending.map((c) => `"${c.name}"`))].join(", ")} need approval, which pauses the run until it is resumed; that needs a checkpointer. Compile the graph with one (createAgentGraph's default MemorySaver, or openCheckpointer(file)) and pass a thread_id.`,
    );
  }
  const requests: ActionRequest[] = pending.map((call) => ({
    id: call.id ?? "",
    name: call.name,
    args: call.args,
    description: `Tool "${call.name}" wants to run with ${JSON.stringify(call.args)}.`,
  }));
  const request: ApprovalRequest = {
    actionRequests: requests,
    reviewConfigs: [...new Set(pending.map((call) => call.name))].map((actionName) => ({
      actionName,
      allowedDecisions: ["approve", "edit", "reject"],
    })),
  };
  const response = askOnce(request, responseSchema(requests, tools));
  const byId = new Map(pending.map((call, index) => [call.id, response.decisions[index]]));
  const rejected: ToolMessage[] = [];
  const toolCalls = (proposal.tool_calls ?? []).map((call) => {
    const decision = byId.get(call.id);
    if (decision?.type === "edit") return { ...call, args: decision.editedAction.args };
    if (decision?.type === "reject") rejected.push(rejectionMessage(call, decision.message));
    return call;
  });
  const edited = response.decisions.some((decision) => decision.type === "edit");
  const updated = edited
    ? new AIMessage({
        id: proposal.id,
        content: proposal.content,
        tool_calls: toolCalls,
        invalid_tool_calls: proposal.invalid_tool_calls,
        response_metadata: proposal.response_metadata,
        usage_metadata: proposal.usage_metadata,
        additional_kwargs: proposal.additional_kwargs,
      })
    : proposal;
  return { proposal: updated, rejected };
}
