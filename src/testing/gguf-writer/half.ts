/** IEEE 754 binary16 encoding: GGUF stores F16 tensors and the scales of Q4_0/Q8_0 blocks as halves. */
const floatView = new Float32Array(1);
const intView = new Uint32Array(floatView.buffer);

export function floatToHalf(value: number): number {
  floatView[0] = value;
  const bits = intView[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const subnormal = (mantissa | 0x800000) >>> (1 - exponent);
    return sign | ((subnormal + 0x1000) >>> 13);
  }
  if (exponent >= 31) return sign | 0x7c00;
  // Addition, not OR: rounding the mantissa up may carry into the exponent.
  return sign | Math.min((exponent << 10) + ((mantissa + 0x1000) >>> 13), 0x7c00);
}
