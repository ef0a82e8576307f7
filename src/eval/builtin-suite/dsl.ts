import type {
  EvalCase,
  EvalCategory,
  ExpectedCall,
  GraphExpectation,
  SuiteMessage,
  SuiteToolCall,
} from "../suite-format/types.js";
import { BUILTIN_EVAL_TOOLS, type BuiltinToolName } from "./tools.js";

/** Several acceptable values for one argument. */
class Alternatives {
  constructor(readonly values: unknown[]) {}
}

/** Any of these values is right. */
export const oneOf = (...values: unknown[]) => new Alternatives(values);
/** The argument may be left out, or given as one of these values. */
export const optional = (...values: unknown[]) => new Alternatives([...values, ""]);
/** Either temperature unit, or none: for questions that do not name one. */
export const anyUnit = optional("celsius", "fahrenheit");
/** Any whole number in [min, max], or none: for counts the question leaves open. */
export const anyInt = (min: number, max: number) =>
  optional(...Array.from({ length: max - min + 1 }, (_, i) => min + i));
/** The acceptable `where` filter object of lookup_records (object arguments list their keys' acceptable values). */
export const where = (column: string, op: string, ...values: unknown[]) => ({
  column: [column],
  op: [op],
  value: values,
});
/** For `attendees`/`cc` lists the question does not mention. */
export const noList = optional([]);

/** An expected call; plain values mean "exactly this", `oneOf`/`optional` list alternatives. */
export function call(name: BuiltinToolName, args: Record<string, unknown> = {}): ExpectedCall {
  return {
    name,
    arguments: Object.fromEntries(
      Object.entries(args).map(([key, value]) => [
        key,
        value instanceof Alternatives ? value.values : [value],
      ]),
    ),
  };
}

export const user = (content: string): SuiteMessage => ({ role: "user", content });
export const system = (content: string): SuiteMessage => ({ role: "system", content });
export const assistant = (content: string): SuiteMessage => ({ role: "assistant", content });

/** An earlier assistant turn that called tools; ids are derived so tool results can refer to them. */
export function assistantCalls(
  id: string,
  ...calls: [BuiltinToolName, Record<string, unknown>][]
): SuiteMessage {
  const toolCalls: SuiteToolCall[] = calls.map(([name, args], i) => ({
    id: `${id}_${i}`,
    name,
    arguments: args,
  }));
  return { role: "assistant", content: "", tool_calls: toolCalls };
}

export function toolResult(callId: string, name: BuiltinToolName, result: unknown): SuiteMessage {
  return {
    role: "tool",
    tool_call_id: callId,
    name,
    content: typeof result === "string" ? result : JSON.stringify(result),
  };
}

export interface CaseSpec {
  id: string;
  /** The user's question, or a whole conversation. */
  ask: string | SuiteMessage[];
  tools: BuiltinToolName[];
  /** One call, several calls (one acceptable set), `"none"`, or `{ anyOf: [...] }` for alternative sets. */
  expect: ExpectedCall | ExpectedCall[] | "none" | { anyOf: ExpectedCall[][] };
  graph?: GraphExpectation;
  toolResults?: Partial<Record<BuiltinToolName, unknown>>;
  note?: string;
}

export function buildCases(category: EvalCategory, specs: CaseSpec[]): EvalCase[] {
  return specs.map((spec) => {
    const expected: EvalCase["expected"] =
      spec.expect === "none"
        ? "none"
        : "anyOf" in spec.expect
          ? spec.expect.anyOf
          : [Array.isArray(spec.expect) ? spec.expect : [spec.expect]];
    const testCase: EvalCase = {
      id: `${category}_${spec.id}`,
      category,
      messages: typeof spec.ask === "string" ? [user(spec.ask)] : spec.ask,
      tools: spec.tools.map((name) => BUILTIN_EVAL_TOOLS[name]),
      expected,
    };
    if (spec.graph) testCase.graph = spec.graph;
    if (spec.toolResults) testCase.toolResults = spec.toolResults;
    if (spec.note) testCase.note = spec.note;
    return testCase;
  });
}
