import { hasToolCalls, lastMessage } from "./messages.js";
import type { AgentStateType, ValidationState } from "./state.js";

/** Attempts of validation per turn: the first verdict and the one after the retry. */
export const MAX_VALIDATIONS = 2;

export function verdictPassed(verdict: ValidationState): boolean {
  // An unreadable verdict says nothing about the answer, so it does not trigger a retry.
  return !verdict.readable || (verdict.grounded && verdict.complete);
}

export function afterRoute(state: AgentStateType): "agent" | "respond" {
  return state.routing?.route === "direct" ? "respond" : "agent";
}

/**
 * The round cap lives here: a proposed call goes to the tools only while rounds remain, whatever
 * the model does. Answers that used tools are validated; the rest go straight to respond.
 */
export function createAfterAgent(options: { maxToolRounds: number; validate: boolean }) {
  return function afterAgent(state: AgentStateType): "tools" | "validate" | "respond" {
    if (hasToolCalls(lastMessage(state.messages)) && state.toolRounds < options.maxToolRounds) {
      return "tools";
    }
    return options.validate && state.toolRounds > 0 ? "validate" : "respond";
  };
}

export function afterValidate(state: AgentStateType): "agent" | "respond" {
  const verdict = state.validation;
  if (!verdict || verdictPassed(verdict) || verdict.attempts >= MAX_VALIDATIONS) return "respond";
  return "agent";
}
