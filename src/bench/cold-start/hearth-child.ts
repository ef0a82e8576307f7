// P7 child: process start → first streamed token through Hearth's ChatNodeLlamaCpp, with its
// defaults (context size, sequences, threads). Prints one JSON line;
// argv: <model.gguf> [<system prompt file>] (the snapshot rows give a long system prompt and
// point HEARTH_SNAPSHOTS_DIR at the bench's folder).
const scriptStartMs = performance.now();
const [modelPath, systemFile] = process.argv.slice(2);
const { readFileSync } = await import("node:fs");
const { ChatNodeLlamaCpp } = await import("../../models/chat/index.js");
const { HumanMessage, SystemMessage } = await import("@langchain/core/messages");
const system = systemFile ? [new SystemMessage(readFileSync(systemFile, "utf8"))] : [];
const importedMs = performance.now();
const chat = new ChatNodeLlamaCpp({ modelPath, maxTokens: 4 });
const runtime = await chat.ensureLoaded();
const loadedMs = performance.now();
let firstTokenMs = Number.NaN;
for await (const chunk of await chat.stream([...system, new HumanMessage("Hello")])) {
  if (typeof chunk.content === "string" && chunk.content.length > 0) {
    firstTokenMs = performance.now();
    break;
  }
}
console.log(
  JSON.stringify({
    firstTokenEpochMs: performance.timeOrigin + firstTokenMs,
    scriptStartMs,
    importedMs,
    loadedMs,
    firstTokenMs,
    contextSize: runtime.context.contextSize,
    sequences: runtime.context.totalSequences,
    threads: runtime.context.currentThreads,
  }),
);
process.exit(0);
