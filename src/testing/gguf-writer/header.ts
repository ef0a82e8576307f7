import { GGUF_MAGIC, GGUF_VERSION, type GgmlType, GgufValueType } from "./format.js";

/** A metadata value with its GGUF type spelled out: JS numbers do not say u32 vs f32. */
export type GgufValue =
  | { type: GgufValueType.String; value: string }
  | { type: GgufValueType.Uint32 | GgufValueType.Int32 | GgufValueType.Float32; value: number }
  | { type: GgufValueType.Uint64; value: bigint | number }
  | { type: GgufValueType.Bool; value: boolean }
  | { type: GgufValueType.Array; itemType: GgufValueType.String; value: string[] }
  | {
      type: GgufValueType.Array;
      itemType: GgufValueType.Float32 | GgufValueType.Int32 | GgufValueType.Uint32;
      value: ArrayLike<number>;
    };

export interface GgufTensorInfo {
  name: string;
  /** ggml order: dims[0] is the innermost (row length). */
  dims: number[];
  type: GgmlType;
  /** Offset from the start of the data section; a multiple of the alignment. */
  offset: number;
}

/** Grows as it is written; the header is small next to the tensor data. */
class ByteWriter {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.alloc(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  u32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.buffer.writeInt32LE(value, this.length);
    this.length += 4;
  }

  f32(value: number): void {
    this.reserve(4);
    this.buffer.writeFloatLE(value, this.length);
    this.length += 4;
  }

  u64(value: bigint | number): void {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt(value), this.length);
    this.length += 8;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
  }

  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  padTo(alignment: number): void {
    const padded = Math.ceil(this.length / alignment) * alignment;
    this.reserve(padded - this.length);
    this.buffer.fill(0, this.length, padded);
    this.length = padded;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function writeScalar(writer: ByteWriter, type: GgufValueType, value: number): void {
  if (type === GgufValueType.Uint32) writer.u32(value);
  else if (type === GgufValueType.Int32) writer.i32(value);
  else if (type === GgufValueType.Float32) writer.f32(value);
  else throw new Error(`Unsupported GGUF array item type ${GgufValueType[type]}`);
}

function writeValue(writer: ByteWriter, entry: GgufValue): void {
  writer.u32(entry.type);
  switch (entry.type) {
    case GgufValueType.String:
      writer.string(entry.value);
      return;
    case GgufValueType.Uint64:
      writer.u64(entry.value);
      return;
    case GgufValueType.Bool:
      writer.u8(entry.value ? 1 : 0);
      return;
    case GgufValueType.Array: {
      writer.u32(entry.itemType);
      writer.u64(entry.value.length);
      if (entry.itemType === GgufValueType.String) {
        for (const item of entry.value as string[]) writer.string(item);
      } else {
        const items = entry.value as ArrayLike<number>;
        for (let index = 0; index < items.length; index++)
          writeScalar(writer, entry.itemType, items[index]);
      }
      return;
    }
    default:
      writeScalar(writer, entry.type, entry.value);
  }
}

/** The GGUF header (magic, version, metadata, tensor infos), padded to where tensor data starts. */
export function encodeGgufHeader(
  metadata: Array<[string, GgufValue]>,
  tensors: GgufTensorInfo[],
  alignment: number,
): Buffer {
  const writer = new ByteWriter();
  for (const char of GGUF_MAGIC) writer.u8(char.charCodeAt(0));
  writer.u32(GGUF_VERSION);
  writer.u64(tensors.length);
  writer.u64(metadata.length);
  for (const [key, value] of metadata) {
    writer.string(key);
    writeValue(writer, value);
  }
  for (const tensor of tensors) {
    writer.string(tensor.name);
    writer.u32(tensor.dims.length);
    for (const dim of tensor.dims) writer.u64(dim);
    writer.u32(tensor.type);
    writer.u64(tensor.offset);
  }
  writer.padTo(alignment);
  return writer.toBuffer();
}
