import { GOOD_VERDICT, type TurnPlan } from "./episodes.js";

/** The model calls the agent graph makes, as the dataset labels them. */
export type Step = "route" | "call" | "answer" | "verdict" | "direct" | "retry";

export type OracleOutput =
  | { kind: "json"; value: Record<string, unknown> }
  | { kind: "call"; name: string; args: Record<string, unknown> }
  | { kind: "text"; text: string };

/**
 * The right output of every model call of one turn. It keeps the turn's state: a turn planned
 * with a wrong draft gives that draft first, the verdict on it says why it is wrong, and the
 * retry the graph then makes gets the right answer.
 */
export class TurnOracle {
  private wrongGiven = false;
  private lastDraftWrong = false;

  constructor(readonly plan: TurnPlan) {}

  respond(step: Step, toolResult: string | undefined): OracleOutput {
    const { plan } = this;
    switch (step) {
      case "route":
        return { kind: "json", value: { ...plan.route } };
      case "call":
        if (!plan.call)
          throw new Error(`The graph forced a tool call on a direct turn: ${plan.question}`);
        return { kind: "call", name: plan.call.name, args: plan.call.args };
      case "direct":
        return { kind: "text", text: plan.answer("") };
      case "answer":
      case "retry": {
        const result = this.result(step, toolResult);
        if (step === "answer" && plan.wrongDraft && !this.wrongGiven) {
          this.wrongGiven = true;
          this.lastDraftWrong = true;
          return { kind: "text", text: plan.wrongDraft(result).draft };
        }
        this.lastDraftWrong = false;
        return { kind: "text", text: plan.answer(result) };
      }
      case "verdict": {
        const result = this.result(step, toolResult);
        const verdict =
          this.lastDraftWrong && plan.wrongDraft ? plan.wrongDraft(result).verdict : GOOD_VERDICT;
        return { kind: "json", value: { ...verdict } };
      }
    }
  }

  private result(step: Step, toolResult: string | undefined): string {
    if (toolResult === undefined) {
      throw new Error(`The ${step} step of "${this.plan.question}" has no tool result before it.`);
    }
    return toolResult;
  }
}
