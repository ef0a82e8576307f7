import { chatFamily } from "./families.js";
import { tensorByteSize } from "./format.js";
import { modelShape, type ShapeName } from "./shapes.js";
import { planTensors, QUANTS, quantFor } from "./test-model.js";

/** What a shape costs, from the tensors the writer would write (no file is written). */
export interface ShapeFigures {
  parameters: number;
  /** Tensor data bytes at the quantization (the file adds a header and the vocabulary). */
  weightBytes: number;
  /** Weights read per decoded token: every tensor except the token embedding (a row lookup). */
  bytesReadPerToken: number;
  /** F16 KV cache per token position: 2 (K, V) × layers × KV heads × head size × 2 bytes. */
  kvBytesPerToken: number;
}

export function shapeFigures(shapeName: ShapeName | string, quant = "q8_0"): ShapeFigures {
  const shape = modelShape(shapeName);
  const tensors = planTensors(chatFamily("qwen"), shape, QUANTS[quantFor(quant)].matrix);
  let parameters = 0;
  let weightBytes = 0;
  let embeddingBytes = 0;
  for (const tensor of tensors) {
    const count = tensor.dims.reduce((product, size) => product * size, 1);
    const bytes = tensorByteSize(tensor.type, count);
    parameters += count;
    weightBytes += bytes;
    if (tensor.name === "token_embd.weight") embeddingBytes = bytes;
  }
  // Tied embeddings are read in full as the output projection; untied, only the output is.
  const bytesReadPerToken = weightBytes - (shape.tiedEmbeddings ? 0 : embeddingBytes);
  return {
    parameters,
    weightBytes,
    bytesReadPerToken,
    kvBytesPerToken: 2 * shape.blockCount * shape.headCountKv * shape.headDim * 2,
  };
}
