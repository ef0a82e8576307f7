import { createAgentGraph } from "../../graph/index.js";
import { neverCalled, ScriptedChatModel } from "../../testing/index.js";
import { parseCliArgs } from "../args.js";
import type { CliCommand } from "../command.js";

export const command: CliCommand = {
  name: "graph",
  summary: "Print the agent graph (route → agent ⇄ tools → validate → respond) as Mermaid text",
  usage: "hearth graph [--mermaid]",
  async run(argv) {
    parseCliArgs({ args: argv, options: { mermaid: { type: "boolean", default: true } } });
    // The graph's shape does not depend on the model, so drawing it loads none: a stand-in
    // model that is never called fills the slot.
    const graph = createAgentGraph({
      model: new ScriptedChatModel(neverCalled("hearth graph only draws the graph")),
      checkpointer: false,
    });
    console.log((await graph.getGraphAsync()).drawMermaid());
    return 0;
  },
};
