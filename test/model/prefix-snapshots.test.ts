import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { LlamaChat } from "node-llama-cpp";
import { ChatNodeLlamaCpp } from "../../src/models/chat/index.js";
import { testModelPath } from "../helpers/test-models.js";

// Long enough to pass the snapshot threshold on the tiny test vocabulary.
const SYSTEM = new SystemMessage(
  `You are Hearth's test assistant. ${"Answer briefly and check every figure twice. ".repeat(6)}`,
);
const question = (text: string) => [SYSTEM, new HumanMessage(text)];
const meta = (reply: AIMessage) =>
  reply.response_metadata as {
    prefix?: string;
    evaluatedPromptTokens: number;
    promptTokens: number;
  };

describe("prefix snapshots on a generated model (real node-llama-cpp)", () => {
  let modelPath: string;
  let dir: string;
  const chats: ChatNodeLlamaCpp[] = [];
  const chat = (options: ConstructorParameters<typeof ChatNodeLlamaCpp>[0]) => {
    const made = new ChatNodeLlamaCpp({
      modelPath,
      contextSize: 1024,
      maxTokens: 12,
      temperature: 0,
      ...options,
    });
    chats.push(made);
    return made;
  };

  before(async () => {
    modelPath = await testModelPath({ family: "chatml" });
    dir = await mkdtemp(path.join(os.tmpdir(), "hearth-prefix-"));
  });
  after(async () => {
    for (const made of chats) await made.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("a prefix restored from disk in a new context gives the same greedy output as one evaluated", async () => {
    const snapshots = { dir, policy: "always" as const, minTokens: 16 };
    const reference = await chat({ prefixSnapshots: false }).invoke(question("What is 2+2?"));
    assert.equal(meta(reference).prefix, undefined);

    const first = await chat({ prefixSnapshots: snapshots }).invoke(question("What is 2+2?"));
    assert.equal(meta(first).prefix, "evaluated");
    assert.equal(first.content, reference.content);
    assert.equal((await readdir(dir)).filter((name) => name.endsWith(".state")).length, 1);

    const restoredChat = chat({ prefixSnapshots: snapshots });
    const restored = await restoredChat.invoke(question("What is 2+2?"));
    assert.equal(meta(restored).prefix, "restored");
    assert.equal(restored.content, reference.content, "same next tokens after a restore");
    assert.equal(meta(restored).promptTokens, meta(reference).promptTokens);
    assert.ok(
      meta(restored).evaluatedPromptTokens < meta(reference).evaluatedPromptTokens / 2,
      `restored ${meta(restored).evaluatedPromptTokens} of ${meta(reference).evaluatedPromptTokens} evaluated`,
    );
    const again = await restoredChat.invoke(question("And 3+3?"));
    assert.equal(meta(again).prefix, "held", "the sequence keeps the prefix for the next thread");
  });

  it("another sequence of the same context gets the prefix by a KV copy, with the same output", async () => {
    const llm = chat({ sequences: 2, prefixSnapshots: { disk: false, minTokens: 16 } });
    const runtime = await llm.ensureLoaded();
    const [a, b] = runtime.pool.all;
    const source = {
      history: [{ type: "system" as const, text: SYSTEM.content as string }],
      chatWrapper: runtime.chatWrapper,
    };
    assert.equal(await runtime.prefixes?.prepare(a, runtime.pool.all, source), "evaluated");
    assert.equal(await runtime.prefixes?.prepare(b, runtime.pool.all, source), "copied");
    const prefix = runtime.prefixes!.prefixTokens(source);
    assert.deepEqual(b.contextTokens, prefix);
    // Greedy next tokens from each sequence, the same history: identical.
    const history = [
      { type: "system" as const, text: SYSTEM.content as string },
      { type: "user" as const, text: "Name a colour." },
    ];
    const texts: string[] = [];
    for (const sequence of [a, b]) {
      const llamaChat = new LlamaChat({
        contextSequence: sequence,
        chatWrapper: runtime.chatWrapper,
      });
      const before = sequence.tokenMeter.getState();
      texts.push(
        (await llamaChat.generateResponse(history, { maxTokens: 12, temperature: 0 })).response,
      );
      assert.ok(
        sequence.tokenMeter.diff(before).usedInputTokens < prefix.length,
        "the prefix was not evaluated again",
      );
      llamaChat.dispose({ disposeSequence: false });
    }
    assert.equal(texts[0], texts[1]);
  });
});
