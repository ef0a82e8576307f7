import type { EvalSuite } from "../suite-format/types.js";
import { buildCases } from "./dsl.js";
import { GRAPH } from "./graph.js";
import { IRRELEVANCE } from "./irrelevance.js";
import { MULTI_TURN } from "./multi-turn.js";
import { MULTIPLE } from "./multiple.js";
import { PARALLEL } from "./parallel.js";
import { PARALLEL_MULTIPLE } from "./parallel-multiple.js";
import { SIMPLE } from "./simple.js";

export { BUILTIN_EVAL_TOOLS, type BuiltinToolName } from "./tools.js";

/** Hearth's own function-calling suite: every category, over the built-in and a dozen extra tools. */
export function builtinSuite(): EvalSuite {
  return {
    name: "builtin",
    source: "builtin",
    cases: [
      ...buildCases("simple", SIMPLE),
      ...buildCases("multiple", MULTIPLE),
      ...buildCases("parallel", PARALLEL),
      ...buildCases("parallel_multiple", PARALLEL_MULTIPLE),
      ...buildCases("irrelevance", IRRELEVANCE),
      ...buildCases("multi_turn", MULTI_TURN),
      ...buildCases("graph", GRAPH),
    ],
  };
}
