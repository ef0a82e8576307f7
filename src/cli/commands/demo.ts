import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { HumanMessage } from "@langchain/core/messages";
import { MemorySaver } from "@langchain/langgraph";
import {
  type AgentGraphOptions,
  createAgentGraph,
  formatTotals,
  formatTrace,
  summarizeRun,
} from "../../graph/index.js";
import { ChatNodeLlamaCpp } from "../../models/chat/index.js";
import { defaultModelsDir } from "../../models/load/index.js";
import { writeTestModel } from "../../testing/gguf-writer/index.js";
import { builtinTools } from "../../tools/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import type { CliCommand } from "../command.js";

const DOCS = fileURLToPath(new URL("../../../examples/docs", import.meta.url));

const TURNS: Array<{ question: string; routing: AgentGraphOptions["routing"]; note: string }> = [
  {
    question: "What happens in the agent graph when a tool fails? Search the documents.",
    routing: "tools",
    note: 'routing "tools": the first tool call is forced, so every step of the graph runs',
  },
  {
    question: "And what is 17 * 23?",
    routing: "model",
    note: "the model routes this one itself, with one grammar-bound decision; same thread, so turn 1 is in its history",
  },
];

export const command: CliCommand = {
  name: "demo",
  summary:
    "Run the whole agent graph offline on a generated model (random weights) with the built-in tools",
  usage: "hearth demo [--max-tokens N]",
  async run(argv) {
    const { values } = parseCliArgs({
      args: argv,
      options: { "max-tokens": { type: "string", default: "128" } },
    });
    const maxTokens = parseNumberFlag("--max-tokens", values["max-tokens"], {
      integer: true,
      min: 1,
    })!;
    console.log(
      [
        "Hearth demo: the agent graph, offline, on a model generated on this machine.",
        "Its weights are RANDOM, so every word it writes is noise. What is real is the mechanics:",
        "grammar-valid tool calls, the tools running over examples/docs, the round cap, validation",
        "with one retry, thread memory, and prompt-prefix reuse in llama.cpp.",
        "",
      ].join("\n"),
    );
    // Seed 8 is a tiny random model whose forced first call closes its JSON within the token
    // budget (most seeds ramble inside a string until it runs out); any seed shows the same
    // mechanics, this one just shows a call that parses and a tool that runs.
    const file = path.join(defaultModelsDir(), "generated", "hearth-demo-qwen-tiny-q8_0-s8.gguf");
    if (!existsSync(file)) {
      const written = await writeTestModel({
        out: file,
        family: "qwen",
        shape: "tiny",
        quant: "q8_0",
        seed: 8,
      });
      console.log(
        `Generated ${written.path} (${(written.parameters / 1e6).toFixed(2)}M random parameters).\n`,
      );
    } else {
      console.log(`Using the generated model ${file}.\n`);
    }
    const chat = new ChatNodeLlamaCpp({ modelPath: file, contextSize: 4096, maxTokens });
    try {
      const tools = builtinTools({ docsFolder: DOCS });
      const checkpointer = new MemorySaver();
      const thread = { configurable: { thread_id: "demo" } };
      for (const [index, turn] of TURNS.entries()) {
        const graph = createAgentGraph({
          model: chat,
          tools,
          checkpointer,
          routing: turn.routing,
          contextSize: 4096,
        });
        console.log(`Turn ${index + 1}: ${turn.question}\n(${turn.note})`);
        const state = await graph.invoke({ messages: [new HumanMessage(turn.question)] }, thread);
        for (const line of formatTrace(state.trace, { width: 72 })) console.log(`  ${line}`);
        const summary = summarizeRun(state);
        console.log(`  answer (noise): ${JSON.stringify(summary.answer.slice(0, 120))}`);
        console.log(`  ${formatTotals(summary)}\n`);
      }
      const meter = chat.tokenMeter;
      console.log(
        `Prompt tokens over ${meter.calls} model calls: ${meter.promptTokens}; evaluated: ${meter.evaluatedPromptTokens}. ` +
          "The rest was reused from the KV cache, because every step keeps the same prompt prefix.",
      );
      return 0;
    } finally {
      await chat.dispose();
    }
  },
};
