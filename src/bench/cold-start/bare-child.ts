// P7 child: process start → first streamed token with node-llama-cpp alone, with the same
// context size, sequences and threads as Hearth. Prints one JSON line;
// argv: <model.gguf> <contextSize> <sequences> <threads> [<system prompt file>].
const scriptStartMs = performance.now();
const [modelPath, contextSize, sequences, threads, systemFile] = process.argv.slice(2);
const { readFileSync } = await import("node:fs");
const { getLlama, LlamaChat, resolveChatWrapper } = await import("node-llama-cpp");
const importedMs = performance.now();
const llama = await getLlama({
  gpu: "auto",
  maxThreads: Number(threads),
  build: "never",
  logLevel: "error" as never,
  progressLogs: false,
});
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({
  contextSize: Number(contextSize),
  sequences: Number(sequences),
  threads: Number(threads),
});
const loadedMs = performance.now();
// Generated bench files name their chat wrapper (hearth.chat_wrapper) and Hearth uses it,
// skipping node-llama-cpp's template comparison; the bare child does the same to compare like
// with like (with a real model both would resolve the wrapper from the template).
const declared = (model.fileInfo.metadata as { hearth?: { chat_wrapper?: string } }).hearth
  ?.chat_wrapper;
const chatWrapper = declared
  ? (resolveChatWrapper({
      type: declared as never,
      fileInfo: model.fileInfo,
      tokenizer: model.tokenizer,
    }) ?? undefined)
  : undefined;
const chat = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper });
const aborter = new AbortController();
let firstTokenMs = Number.NaN;
await chat
  .generateResponse(
    [
      ...(systemFile ? [{ type: "system" as const, text: readFileSync(systemFile, "utf8") }] : []),
      { type: "user", text: "Hello" },
    ],
    {
      maxTokens: 4,
      signal: aborter.signal,
      onTextChunk(text) {
        if (text.length > 0 && Number.isNaN(firstTokenMs)) {
          firstTokenMs = performance.now();
          aborter.abort();
        }
      },
    },
  )
  .catch(() => undefined);
console.log(
  JSON.stringify({
    firstTokenEpochMs: performance.timeOrigin + firstTokenMs,
    scriptStartMs,
    importedMs,
    loadedMs,
    firstTokenMs,
  }),
);
process.exit(0);
