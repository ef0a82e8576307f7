import { type ChatHistoryItem, LlamaChat } from "node-llama-cpp";
import type { ChatRuntime } from "../models/chat/runtime.js";

/**
 * node-llama-cpp alone: aggregate decode tok/s with `count` sequences of one context generating
 * `tokens` each at once (free text, prompts cached first). Batching reads the weights once per
 * step for all sequences, so where decoding is memory-bound this grows with `count`; where it is
 * compute-bound it cannot. Tokens are counted by each sequence's meter, not assumed: a random
 * model may end a response early.
 */
export async function batchDecodeRate(
  runtime: ChatRuntime,
  count: number,
  tokens: number,
): Promise<number> {
  const fingerprints = Array.from({ length: count }, (_, index) => [`hearth-bench-batch-${index}`]);
  const leases = await Promise.all(
    fingerprints.map((fingerprint) => runtime.pool.acquire(fingerprint)),
  );
  const chats = leases.map(
    (lease) => new LlamaChat({ contextSequence: lease.sequence, chatWrapper: runtime.chatWrapper }),
  );
  const history = (index: number): ChatHistoryItem[] => [
    { type: "user", text: `Tell me story number ${index}.` },
  ];
  try {
    const generate = (maxTokens: number) =>
      Promise.all(
        chats.map((chat, index) =>
          chat.generateResponse(history(index), { maxTokens, budgets: { thoughtTokens: 0 } }),
        ),
      );
    await generate(1); // prompts into the caches
    const before = leases.map((lease) => lease.sequence.tokenMeter.getState());
    const started = performance.now();
    await generate(tokens);
    const elapsed = performance.now() - started;
    const produced = leases.reduce(
      (total, lease, index) =>
        total + lease.sequence.tokenMeter.diff(before[index]).usedOutputTokens,
      0,
    );
    return (produced / elapsed) * 1000;
  } finally {
    for (const chat of chats) chat.dispose({ disposeSequence: false });
    for (const [index, lease] of leases.entries()) runtime.pool.release(lease, fingerprints[index]);
  }
}
