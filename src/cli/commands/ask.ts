import { randomUUID } from "node:crypto";
import { HumanMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import { approvalChoice } from "../../app/approval-choice.js";
import { type OpenedChatModel, openChatModel } from "../../app/open-chat-model.js";
import {
  type ApprovalRequest,
  closeCheckpointer,
  createAgentGraph,
  defaultThreadsFile,
  formatTotals,
  formatTrace,
  openCheckpointer,
  summarizeRun,
} from "../../graph/index.js";
import { builtinTools, type DocumentWalkReport, describeSkipped } from "../../tools/index.js";
import { askApproval } from "../approval-prompt.js";
import { parseCliArgs, parseNumberFlag } from "../args.js";
import { type CliCommand, CliUsageError } from "../command.js";
import { loadProgressPrinter } from "../load-progress.js";

export const command: CliCommand = {
  name: "ask",
  summary: "Ask the agent a question (route → tools → validate → answer) on a local model",
  usage:
    'hearth ask "<question>" [--model <gguf|hf-uri|micro|openai:model@url>] [--thread <id>] [--docs <folder>] [--approve <tool,...|all>] [--yes] [--context N] [--json] [--verbose]',
  async run(argv) {
    const { values, positionals } = parseCliArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: "string" },
        thread: { type: "string" },
        docs: { type: "string" },
        approve: { type: "string" },
        yes: { type: "boolean", default: false },
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
    // Tools and flags about them are checked before the model loads.
    let documents: DocumentWalkReport | undefined;
    const tools = builtinTools({
      docsFolder: values.docs,
      onDocsLoad: (report) => {
        documents = report;
      },
    });
    const approveTools = approvalChoice(
      "--approve",
      values.approve,
      tools.map((tool) => tool.name),
      CliUsageError,
    );

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
        tools,
        checkpointer,
        contextSize,
        approveTools,
      });
      const thread = values.thread ?? randomUUID();
      const config = { configurable: { thread_id: thread } };
      let state = await graph.invoke({ messages: [new HumanMessage(question)] }, config);
      // Each pause is one batch of calls waiting for approval; the answer resumes the run.
      for (let request = pendingApproval(state); request; request = pendingApproval(state)) {
        const decisions = await askApproval(request, {
          yes: values.yes,
          input: process.stdin,
          output: process.stderr,
        });
        state = await graph.invoke(new Command({ resume: { decisions } }), config);
      }
      const skipped = documents ? describeSkipped(documents) : "";
      if (skipped && !values.json) console.error(`note: ${skipped}`);
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
        const extra = documents ? { documents } : {};
        console.log(JSON.stringify({ ...summary, thread, model: local.source, ...extra }, null, 2));
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

function pendingApproval(state: Record<string, unknown>): ApprovalRequest | undefined {
  const interrupts = state.__interrupt__ as Array<{ value: unknown }> | undefined;
  const value = interrupts?.[0]?.value as ApprovalRequest | undefined;
  return value?.actionRequests ? value : undefined;
}
