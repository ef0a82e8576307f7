/**
 * A graph worker in its own process, for tests of threads shared between processes:
 * `node --import tsx test/helpers/thread-worker.ts <store> <thread> <question> [delayMs] [startAt]`.
 * The model is scripted (it answers "answer to <question>" after `delayMs`), so what is tested is
 * the thread store and its lock. `startAt` (epoch ms) lines several workers' runs up after their
 * uneven start-up, so the runs really overlap. Prints `{ ok, messages }` or `{ ok: false, error, name }` as JSON.
 */
import { type BaseMessage, HumanMessage } from "@langchain/core/messages";
import { closeCheckpointer, createAgentGraph, openCheckpointer } from "../../src/graph/index.js";
import { slowModel } from "./thread-models.js";

const [store, thread, question, delay = "0", startAt = "0"] = process.argv.slice(2);
if (!store || !thread || !question) {
  console.error("usage: thread-worker.ts <store> <thread> <question> [delayMs] [startAt]");
  process.exit(2);
}

const model = slowModel(Number(delay));
const checkpointer = await openCheckpointer(store);
try {
  const graph = createAgentGraph({ model, checkpointer });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const state = await graph.invoke(
    { messages: [new HumanMessage(question)] },
    { configurable: { thread_id: thread } },
  );
  const messages = state.messages.map((m: BaseMessage) => `${m.getType()}:${m.content}`);
  console.log(JSON.stringify({ ok: true, messages }));
} catch (error) {
  const failure = error as Error;
  console.log(JSON.stringify({ ok: false, name: failure.name, error: failure.message }));
} finally {
  await closeCheckpointer(checkpointer);
}
