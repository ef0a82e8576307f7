import { fileURLToPath } from "node:url";

import { HumanMessage } from "@langchain/core/messages";
import { MemorySaver } from "@langchain/langgraph";
import { createAgentGraph, formatTotals, formatTrace, summarizeRun } from "../../graph/index.js";
import { ChatNodeLlamaCpp } from "../../models/chat/index.js";
import { MICRO_MODEL_NAME } from "../../models/load/micro-model.js";
import { builtinTools } from "../../tools/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import type { CliCommand } from "../command.js";

const DOCS = fileURLToPath(new URL("../../../examples/docs", import.meta.url));

/**
 * One question of each kind Hearth Micro was trained for, in one thread. The greeting comes
 * first, as a conversation opens: after a tool question this model sends "Hello!" to the tools
 * (the README's Hearth Micro section measures it).
 */
const QUESTIONS = [
  "Hello!",
  "What is 17 * 23?",
  "How many tool rounds does the graph allow?",
  "What time is it in Tokyo?",
];

export const command: CliCommand = {
  name: "demo",
  summary:
    "Run the whole agent graph offline on Hearth Micro (a small model this project trains) with the built-in tools",
  usage: "hearth demo [--model micro|<file.gguf>] [--max-tokens N]",
  async run(argv) {
    const { values } = parseCliArgs({
      args: argv,
      options: {
        model: { type: "string", default: MICRO_MODEL_NAME },
        "max-tokens": { type: "string", default: "256" },
      },
    });
    const maxTokens = parseNumberFlag("--max-tokens", values["max-tokens"], {
      integer: true,
      min: 1,
    })!;
    const micro = values.model === MICRO_MODEL_NAME;
    console.log(
      micro
        ? [
            "Hearth demo: the agent graph, offline, on Hearth Micro, a 1.2M-parameter model this",
            "project trains on synthetic conversations for its built-in tools only (calculator,",
            "current_time, search_documents over examples/docs). It is not a general model: what it",
            "shows is the agent's job done for real, every answer computed by the model and the tools.",
            "",
          ].join("\n")
        : `Hearth demo: the agent graph, offline, on ${values.model}.\n`,
    );
    const chat = new ChatNodeLlamaCpp({ modelPath: values.model, maxTokens, temperature: 0 });
    try {
      const graph = createAgentGraph({
        model: chat,
        tools: builtinTools({ docsFolder: DOCS }),
        checkpointer: new MemorySaver(),
      });
      const thread = { configurable: { thread_id: "demo" } };
      for (const [index, question] of QUESTIONS.entries()) {
        console.log(`Turn ${index + 1}: ${question}`);
        const state = await graph.invoke({ messages: [new HumanMessage(question)] }, thread);
        for (const line of formatTrace(state.trace, { width: 72 })) console.log(`  ${line}`);
        const summary = summarizeRun(state);
        for (const call of summary.toolCalls) {
          console.log(
            `  ${call.name} ${JSON.stringify(call.args)} → ${call.result.replace(/\s+/g, " ").slice(0, 100)}`,
          );
        }
        console.log(`  answer: ${summary.answer}`);
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
