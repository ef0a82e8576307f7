import { hasToolCalls, lastMessage } from "./messages.js";
import type { AgentStateType, ValidationState } from "./state.js";

/** Attempts of validation per turn: the first verdict and the one after the retry. */
export const MAX_VALIDATIONS = 2;

export function verdictPassed(verdict: ValidationState): boolean {
  // An unreadable verdict says nothing about the answer, so it does not trigger a retry.
  return !verdict.readable || (verdict.grounded && verdict.complete);
}

// Edge functions return labels; the graph maps them to nodes, and Mermaid pictures show them.

export const ROUTE_EDGES = { tools: "agent", direct: "respond" } as const;
export const AGENT_EDGES = { call: "tools", draft: "validate", answer: "respond" } as const;
export const VALIDATE_EDGES = { retry: "agent", accept: "respond" } as const;

export function afterRoute(state: AgentStateType): keyof typeof ROUTE_EDGES {
  return state.routing?.route === "direct" ? "direct" : "tools";
}

/**
 * The round cap lives here: a proposed call goes to the tools only while rounds remain, whatever
 * the model does. Answers that used tools are validated; the rest go straight to respond.
 */
export function createAfterAgent(options: { maxToolRounds: number; validate: boolean }) {
  return function afterAgent(state: AgentStateType): keyof typeof AGENT_EDGES {
    if (hasToolCalls(lastMessage(state.messages)) && state.toolRounds < options.maxToolRounds) {
      return "call";
    }
    return options.validate && state.toolRounds > 0 ? "draft" : "answer";
  };
}

export function afterValidate(state: AgentStateType): keyof typeof VALIDATE_EDGES {
  const verdict = state.validation;
  if (!verdict || verdictPassed(verdict) || verdict.attempts >= MAX_VALIDATIONS) return "accept";
  return "retry";
}
