// One measurement in its own process: node-llama-cpp fixes the thread ceiling per process.
import type { Token } from "node-llama-cpp";
import { getHearthLlama } from "../../models/runtime/index.js";

const [modelPath, promptLength, decodeLength] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
];
const llama = await getHearthLlama({ gpu: false });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: 2048, threads: llama.maxThreads });
const sequence = context.getSequence();
// A fixed pseudo-random prompt of ordinary tokens (skipping the 259 special/byte tokens).
const prompt = Array.from(
  { length: promptLength },
  (_, index) => (259 + ((index * 7919) % 300)) as Token,
);
const started = performance.now();
let firstAt = 0;
let generated = 0;
for await (const _token of sequence.evaluate(prompt, { temperature: 0 })) {
  if (generated === 0) firstAt = performance.now();
  generated++;
  if (generated >= decodeLength) break;
}
const finished = performance.now();
console.log(
  JSON.stringify({
    threads: llama.maxThreads,
    promptTokensPerSecond: promptLength / ((firstAt - started) / 1000),
    decodeTokensPerSecond: (generated - 1) / ((finished - firstAt) / 1000),
  }),
);
await context.dispose();
await model.dispose();
