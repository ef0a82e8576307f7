import type { RunnableConfig } from "@langchain/core/runnables";
import type { ThreadLock } from "./thread-lock.js";

type StreamIterator = (input: unknown, options?: RunnableConfig) => AsyncGenerator<unknown>;
type WithConfig = (config: RunnableConfig) => object;

/**
 * Makes every run of `graph` on a thread hold that thread's lock from its first checkpoint read
 * to its last write, so two runs on one thread take turns instead of both starting from the same
 * checkpoint and one overwriting the other's turn.
 *
 * LangGraph's library has no such lock (LangGraph Platform does it in its server, with
 * "multitask strategies"), so it is added here at the one place every run passes:
 * `invoke` and `stream` both consume `_streamIterator`, and so do `streamEvents`' v1/v2.
 * `graph.invoke()` stays the API, and `graph.withConfig(…)` returns a graph locked the same way.
 * A call as a subgraph (non-empty `checkpoint_ns`) runs under
 * its parent's lock and takes none.
 */
export function lockThreadRuns<G extends object>(graph: G, lock: ThreadLock, waitMs: number): G {
  const target = graph as unknown as { _streamIterator: StreamIterator; withConfig: WithConfig };
  const run = target._streamIterator.bind(graph);
  // Pregel's withConfig builds a fresh instance from the class: lock that one too.
  const withConfig = target.withConfig.bind(graph);
  target.withConfig = (config) => lockThreadRuns(withConfig(config), lock, waitMs);
  target._streamIterator = async function* lockedRun(input, options) {
    const configurable = options?.configurable ?? {};
    const threadId = configurable.thread_id;
    const namespace = configurable.checkpoint_ns;
    if (threadId === undefined || threadId === null || (namespace ?? "") !== "") {
      yield* run(input, options);
      return;
    }
    const release = await lock.acquire(String(threadId), waitMs, options?.signal);
    try {
      yield* run(input, options);
    } finally {
      await release();
    }
  };
  return graph;
}
