// Embedding throughput as ratios measured side by side in one run, on a generated embedding
// model (qwen3 with last-token pooling: Qwen3-Embedding's layout; random weights, real shape):
//   1. HearthEmbeddings tokens/s ÷ the same model's own prompt-processing tokens/s (a plain
//      node-llama-cpp context evaluating the same token sequences, no embedding output);
//   2. HearthEmbeddings ÷ node-llama-cpp's bare LlamaEmbeddingContext (Hearth's own overhead).
// Run: npm run bench:embeddings -- [--shape tiny|small|qwen3-0.6b] [--rounds 3] [--passages N]
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Token } from "node-llama-cpp";
import { HearthEmbeddings } from "../../models/embeddings/index.js";
import { loadModel } from "../../models/load/index.js";
import { contextThreads } from "../../models/runtime/index.js";
import { type ShapeName, writeTestModel } from "../../testing/gguf-writer/index.js";
import { loadPassages } from "../../tools/builtins/index.js";

const { values } = parseArgs({
  options: {
    shape: { type: "string", default: "small" },
    rounds: { type: "string", default: "3" },
    passages: { type: "string" },
  },
});
const shape = values.shape as ShapeName;
const rounds = Number(values.rounds);
const file = path.resolve(".cache", "bench", `qwen-${shape}-q8_0-embed-last.gguf`);
if (!existsSync(file)) {
  await writeTestModel({ family: "qwen", shape, quant: "q8_0", pooling: "last", out: file });
}

const contextSize = 1024;
const texts = (await loadPassages(path.resolve("examples/docs")))
  .map((passage) => `${passage.heading}\n${passage.text}`)
  .slice(0, values.passages ? Number(values.passages) : undefined);
const { model } = await loadModel(file);
const threads = contextThreads(model.size);

const hearth = new HearthEmbeddings({ model, contextSize });
const bare = await model.createEmbeddingContext({ contextSize, batchSize: contextSize, threads });
const plain = await model.createContext({ contextSize, batchSize: contextSize, threads });
const sequence = plain.getSequence();
const inputs: Token[][] = texts.map((text) => model.tokenize(text));
const tooLong = inputs.findIndex((tokens) => bare.calculateInputLength(tokens) >= contextSize);
if (tooLong >= 0) throw new Error(`Passage ${tooLong} does not fit ${contextSize} tokens.`);

async function timed(run: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const tokens = await run();
  return tokens / ((performance.now() - start) / 1000);
}

const measures = {
  hearth: [] as number[],
  bare: [] as number[],
  prompt: [] as number[],
};
await hearth.embedDocuments(texts.slice(0, 2)); // load and warm up
for (let round = 0; round < rounds; round++) {
  measures.hearth.push(
    await timed(async () => {
      const before = hearth.embeddedTokens;
      await hearth.embedDocuments(texts);
      return hearth.embeddedTokens - before;
    }),
  );
  measures.bare.push(
    await timed(async () => {
      // Text in, as a caller of node-llama-cpp would: tokenizing is part of the work.
      let tokens = 0;
      for (const [i, text] of texts.entries()) {
        tokens += bare.calculateInputLength(inputs[i]);
        await bare.getEmbeddingFor(text);
      }
      return tokens;
    }),
  );
  measures.prompt.push(
    await timed(async () => {
      let tokens = 0;
      for (const input of inputs) {
        const withSpecials = [model.tokens.bos!, ...input].filter((token) => token !== undefined);
        await sequence.eraseContextTokenRanges([{ start: 0, end: sequence.nextTokenIndex }]);
        await sequence.evaluateWithoutGeneratingNewTokens(withSpecials);
        tokens += withSpecials.length;
      }
      return tokens;
    }),
  );
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const hearthRate = median(measures.hearth);
const bareRate = median(measures.bare);
const promptRate = median(measures.prompt);
const info = await hearth.info();
console.log(
  `Embedding throughput, ${shape} shape (Q8_0, ${info.dimensions} dimensions, pooling ${info.pooling}), ${texts.length} passages of examples/docs, ${threads} thread(s), median of ${rounds} rounds`,
);
console.log(`HearthEmbeddings              ${hearthRate.toFixed(0).padStart(8)} tok/s`);
console.log(`bare LlamaEmbeddingContext    ${bareRate.toFixed(0).padStart(8)} tok/s`);
console.log(`model's own prompt processing ${promptRate.toFixed(0).padStart(8)} tok/s`);
console.log(`ratio embeddings ÷ prompt processing: ${(hearthRate / promptRate).toFixed(2)}`);
console.log(`ratio Hearth ÷ bare embedding context: ${(hearthRate / bareRate).toFixed(2)}`);
await hearth.dispose();
await bare.dispose();
await plain.dispose();
await model.dispose();
