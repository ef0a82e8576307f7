import { type StructuredToolInterface, tool } from "@langchain/core/tools";
import type { EvalCase } from "../suite-format/types.js";

/** Returned by a stub whose case gives no canned result for it. */
export const DEFAULT_STUB_RESULT = { status: "ok" };

/**
 * LangChain tools for a case's definitions, each answering with the case's canned `toolResults`
 * entry: graph mode tests the agent's decisions, not real weather or databases.
 */
export function stubTools(testCase: EvalCase): StructuredToolInterface[] {
  return testCase.tools.map((definition) => {
    const { name, description, parameters } = definition.function;
    const canned = testCase.toolResults?.[name] ?? DEFAULT_STUB_RESULT;
    const output = typeof canned === "string" ? canned : JSON.stringify(canned);
    return tool(async () => output, {
      name,
      description: description ?? "",
      schema: (parameters ?? { type: "object", properties: {} }) as Parameters<
        typeof tool
      >[1]["schema"],
    }) as StructuredToolInterface;
  });
}
