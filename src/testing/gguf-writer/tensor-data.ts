import { GGML_TYPE_LAYOUT, GgmlType, tensorByteSize } from "./format.js";
import { floatToHalf } from "./half.js";
import type { SeededRandom } from "./random.js";

/**
 * Random weights in a tensor type's own encoding. Values are uniform in [-scale, scale];
 * the exact distribution does not matter (the weights are noise), only that the file is
 * valid and decoding stays finite.
 */
export function randomTensorData(
  type: GgmlType,
  elementCount: number,
  random: SeededRandom,
  scale: number,
): Uint8Array {
  const bytes = new Uint8Array(tensorByteSize(type, elementCount));
  random.fillBytes(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case GgmlType.F32: {
      for (let index = 0; index < elementCount; index++) {
        view.setFloat32(
          index * 4,
          ((view.getUint32(index * 4, true) / 0xffffffff) * 2 - 1) * scale,
          true,
        );
      }
      return bytes;
    }
    case GgmlType.F16: {
      // 256 evenly spaced halves indexed by a random byte: fast and reproducible.
      const table = new Uint16Array(256);
      for (let index = 0; index < 256; index++)
        table[index] = floatToHalf(((index - 127.5) / 127.5) * scale);
      for (let index = 0; index < elementCount; index++) {
        view.setUint16(index * 2, table[bytes[index * 2]], true);
      }
      return bytes;
    }
    case GgmlType.Q8_0:
    case GgmlType.Q4_0: {
      const { bytesPerBlock } = GGML_TYPE_LAYOUT[type];
      const levels = type === GgmlType.Q8_0 ? 127 : 8;
      const halfScale = floatToHalf(scale / levels);
      for (let offset = 0; offset < bytes.length; offset += bytesPerBlock) {
        view.setUint16(offset, halfScale, true);
      }
      return bytes;
    }
  }
}

/** A norm weight of ones, as trained models start out: keeps activations at unit scale. */
export function onesF32(elementCount: number): Uint8Array {
  const values = new Float32Array(elementCount).fill(1);
  return new Uint8Array(values.buffer);
}

/**
 * Given (trained) values in a tensor type's encoding: F32 as is, F16 rounded to nearest.
 * Quantizing trained weights is not done here (a trained file is small enough in F16).
 */
export function givenTensorData(type: GgmlType, name: string, values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(tensorByteSize(type, values.length));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case GgmlType.F32:
      for (let index = 0; index < values.length; index++)
        view.setFloat32(index * 4, values[index], true);
      return bytes;
    case GgmlType.F16:
      for (let index = 0; index < values.length; index++) {
        // Past 65504 a half is infinite: the file would load and compute NaNs.
        if (!(Math.abs(values[index]) <= 65504))
          throw new Error(
            `Tensor ${name} holds ${values[index]} at index ${index}, outside F16's range (±65504); check the training run.`,
          );
        view.setUint16(index * 2, floatToHalf(values[index]), true);
      }
      return bytes;
    default:
      throw new Error(
        `Tensor ${name}: given weights are written as F16 (matrices) and F32 (norms); use quant "f16".`,
      );
  }
}
