/**
 * A long-lived graph worker process, as a scaled-out deployment runs several of:
 * `node --import tsx test/helpers/graph-worker.ts <thread-store> <model-spec>`.
 * Jobs come as JSON lines on stdin, `{ id, thread, question?, model?, pause? }` (no question:
 * resume the thread's unfinished run with `invoke(null)`; `model`: another spec for this job;
 * `pause`: stop before the job's first model call until `{ id, continue: true }` arrives).
 * It answers with JSON lines: `{ id, event: "model-start" }`, then `{ id, ok, messages | error }`.
 */
import { createInterface } from "node:readline";
import { HumanMessage } from "@langchain/core/messages";
import { openChatModel } from "../../src/app/open-chat-model.js";
import {
  type AgentGraph,
  closeCheckpointer,
  createAgentGraph,
  openCheckpointer,
} from "../../src/graph/index.js";
import { createCalculatorTool } from "../../src/tools/index.js";

const [store, defaultModel] = process.argv.slice(2);
if (!store || !defaultModel) {
  console.error("usage: graph-worker.ts <thread-store> <model-spec>");
  process.exit(2);
}

interface Job {
  id: number;
  thread?: string;
  question?: string;
  model?: string;
  pause?: boolean;
  continue?: boolean;
}

const reply = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const checkpointer = await openCheckpointer(store);
const graphs = new Map<string, AgentGraph>();
const paused = new Map<number, () => void>();

async function graphFor(spec: string): Promise<AgentGraph> {
  let graph = graphs.get(spec);
  if (!graph) {
    const opened = await openChatModel({ model: spec, maxTokens: 24 });
    graph = createAgentGraph({
      model: opened.chat,
      tools: [createCalculatorTool()],
      checkpointer,
      validate: false,
    });
    graphs.set(spec, graph);
  }
  return graph;
}

async function runJob(job: Job): Promise<void> {
  try {
    const graph = await graphFor(job.model ?? defaultModel);
    let first = true;
    const callbacks = [
      {
        // Awaited, so a paused job really waits here before its first request goes out.
        awaitHandlers: true,
        async handleChatModelStart() {
          if (!first) return;
          first = false;
          reply({ id: job.id, event: "model-start" });
          if (job.pause) await new Promise<void>((resume) => paused.set(job.id, resume));
        },
      },
    ];
    const input =
      job.question === undefined ? null : { messages: [new HumanMessage(job.question)] };
    const state = await graph.invoke(input, {
      configurable: { thread_id: job.thread },
      callbacks,
    });
    const messages = state.messages.map(
      (m: { getType(): string; content: unknown }) =>
        `${m.getType()}:${typeof m.content === "string" ? m.content : JSON.stringify(m.content)}`,
    );
    reply({ id: job.id, ok: true, messages });
  } catch (error) {
    reply({ id: job.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

reply({ event: "ready" });
const running: Promise<void>[] = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "") continue;
  const job = JSON.parse(line) as Job;
  if (job.continue) paused.get(job.id)?.();
  else running.push(runJob(job));
}
await Promise.all(running);
await closeCheckpointer(checkpointer);
