import type { LlamaModel } from "node-llama-cpp";

/**
 * How llama.cpp turns the last layer's token vectors into one vector per input, from the GGUF's
 * `<arch>.pooling_type` (llama.cpp's `enum llama_pooling_type`). "none": the file declares no
 * pooling (a chat model); node-llama-cpp then returns the last token's vector.
 */
export type EmbeddingPoolingType = "none" | "mean" | "cls" | "last" | "rank";

const POOLING_NAMES: Record<number, EmbeddingPoolingType> = {
  0: "none",
  1: "mean",
  2: "cls",
  3: "last",
  4: "rank",
};

export function modelPooling(model: LlamaModel): EmbeddingPoolingType {
  const metadata = model.fileInfo.metadata as unknown as Record<string, Record<string, unknown>>;
  const architecture = String(model.fileInfo.metadata.general.architecture);
  const value = metadata[architecture]?.pooling_type;
  return typeof value === "number" ? (POOLING_NAMES[value] ?? "none") : "none";
}
