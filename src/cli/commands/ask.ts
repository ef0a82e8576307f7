import { randomUUID } from "node:crypto";
import { HumanMessage } from "@langchain/core/messages";
import { type OpenedChatModel, openChatModel } from "../../app/open-chat-model.js";
import {
  closeCheckpointer,
  createAgentGraph,
  defaultThreadsFile,
  formatTotals,
  formatTrace,
  openCheckpointer,
  summarizeRun,
} from "../../graph/index.js";
import { builtinTools } from "../../tools/index.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";
import { loadProgressPrinter } from "../load-progress.js";

export const command: CliCommand = {
  name: "ask",
  summary: "Ask the agent a question (route → tools → validate → answer) on a local model",
  usage:
    'hearth ask "<question>" [--model <gguf|hf-uri|openai:model@url>] [--thread <id>] [--docs <folder>] [--context N] [--json] [--verbose]',
  async run(argv) {
    const { values, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: "string" },
        thread: { type: "string" },
        docs: { type: "string" },
        context: { type: "string" },
        "max-tokens": { type: "string" },
        json: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
      },
    });
    const question = positionals.join(" ").trim();
    if (!question) throw new CliUsageError('Give a question, e.g. hearth ask "What is 17 * 23?"');
    const contextSize = parseNumberFlag("--context", values.context, { integer: true, min: 1 });
    const maxTokens = parseNumberFlag("--max-tokens", values["max-tokens"], {
      integer: true,
      min: 1,
    });

    // A thread id names a conversation to continue later, so it is kept on disk. The store is
    // opened (and checked) first: a damaged one should fail before a model takes seconds to load.
    const checkpointer = await openCheckpointer(values.thread ? defaultThreadsFile() : undefined);
    let local: OpenedChatModel | undefined;
    try {
      local = await openChatModel({
        model: values.model,
        contextSize,
        maxTokens,
        onProgress: values.json ? undefined : loadProgressPrinter(),
      });
      if (values.verbose) console.error(`model: ${local.description}`);
      const graph = createAgentGraph({
        model: local.chat,
        tools: builtinTools({ docsFolder: values.docs }),
        checkpointer,
        contextSize,
      });
      const thread = values.thread ?? randomUUID();
      const state = await graph.invoke(
        { messages: [new HumanMessage(question)] },
        { configurable: { thread_id: thread } },
      );
      const summary = summarizeRun(state);
      if (summary.questionCut) {
        const { fromTokens, toTokens, contextSize: size } = summary.questionCut;
        console.error(
          `note: the question is ${fromTokens} tokens; the model's ${size}-token context had room for ${toTokens}, so it was sent cut (its start and end kept). Pass --context with a larger size (up to 32768) to send it whole.`,
        );
      }
      if (values.verbose) {
        for (const line of formatTrace(state.trace)) console.error(line);
        console.error(formatTotals(summary));
      }
      if (values.json) {
        console.log(JSON.stringify({ ...summary, thread, model: local.source }, null, 2));
      } else {
        console.log(summary.answer);
      }
      return 0;
    } finally {
      await local?.dispose();
      await closeCheckpointer(checkpointer);
    }
  },
};
