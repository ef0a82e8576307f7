// P7 child: process start → first streamed token through Hearth's ChatNodeLlamaCpp, with its
// defaults (context size, sequences, threads). Prints one JSON line; argv: <model.gguf>.
const scriptStartMs = performance.now();
const [modelPath] = process.argv.slice(2);
const { ChatNodeLlamaCpp } = await import("../../models/chat/index.js");
const { HumanMessage } = await import("@langchain/core/messages");
const importedMs = performance.now();
const chat = new ChatNodeLlamaCpp({ modelPath, maxTokens: 4 });
const runtime = await chat.ensureLoaded();
const loadedMs = performance.now();
let firstTokenMs = Number.NaN;
for await (const chunk of await chat.stream([new HumanMessage("Hello")])) {
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
