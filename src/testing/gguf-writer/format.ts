/** GGUF v3 constants, from ggml's gguf.h / node-llama-cpp's GgufValueType and GgmlType. */

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;
export const DEFAULT_ALIGNMENT = 32;

export enum GgufValueType {
  Uint8 = 0,
  Int8 = 1,
  Uint16 = 2,
  Int16 = 3,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  Uint64 = 10,
  Int64 = 11,
  Float64 = 12,
}

export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
}

/** llama.cpp's `llama_ftype`: what `general.file_type` records for the dominant matrix type. */
export enum LlamaFileType {
  AllF32 = 0,
  MostlyF16 = 1,
  MostlyQ4_0 = 2,
  MostlyQ8_0 = 7,
}

export interface GgmlTypeLayout {
  /** Values per block. */
  blockSize: number;
  /** Bytes per block. */
  bytesPerBlock: number;
}

export const GGML_TYPE_LAYOUT: Record<GgmlType, GgmlTypeLayout> = {
  [GgmlType.F32]: { blockSize: 1, bytesPerBlock: 4 },
  [GgmlType.F16]: { blockSize: 1, bytesPerBlock: 2 },
  // Q4_0: one f16 scale + 32 four-bit values.
  [GgmlType.Q4_0]: { blockSize: 32, bytesPerBlock: 18 },
  // Q8_0: one f16 scale + 32 int8 values.
  [GgmlType.Q8_0]: { blockSize: 32, bytesPerBlock: 34 },
};

export function tensorByteSize(type: GgmlType, elementCount: number): number {
  const layout = GGML_TYPE_LAYOUT[type];
  if (elementCount % layout.blockSize !== 0) {
    throw new Error(
      `A ${GgmlType[type]} tensor needs a multiple of ${layout.blockSize} values per row; got ${elementCount}.`,
    );
  }
  return (elementCount / layout.blockSize) * layout.bytesPerBlock;
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
