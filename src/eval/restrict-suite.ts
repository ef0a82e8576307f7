import type { EvalSuite } from "./suite-format/types.js";

/**
 * The cases whose offered tools are all among `toolNames`, in a suite renamed to say so. A model
 * trained for a few tools only (Hearth Micro) is scored on what it was built for, and the report
 * cannot be mistaken for a score on the whole suite.
 */
export function restrictSuiteToTools(
  suite: EvalSuite,
  toolNames: readonly string[],
  label: string,
): EvalSuite {
  const allowed = new Set(toolNames);
  const cases = suite.cases.filter((c) => c.tools.every((tool) => allowed.has(tool.function.name)));
  if (cases.length === 0) {
    throw new Error(
      `The suite "${suite.name}" has no case whose tools are all among ${toolNames.join(", ")}.`,
    );
  }
  return {
    ...suite,
    name: `${suite.name}, ${label}: the ${cases.length} of ${suite.cases.length} cases whose tools are all among ${toolNames.join(", ")}`,
    cases,
  };
}
