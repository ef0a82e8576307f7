/**
 * A small seeded PRNG (xorshift32) so generated weights are reproducible across runs and
 * machines; Math.random cannot be seeded.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  static fromString(seed: number, label: string): SeededRandom {
    let hash = 2166136261 ^ seed;
    for (let index = 0; index < label.length; index++) {
      hash = Math.imul(hash ^ label.charCodeAt(index), 16777619);
    }
    return new SeededRandom(hash >>> 0);
  }

  nextUint32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  fillBytes(target: Uint8Array): void {
    const whole = target.length - (target.length % 4);
    const words = new Uint32Array(target.buffer, target.byteOffset, whole / 4);
    for (let index = 0; index < words.length; index++) words[index] = this.nextUint32();
    for (let index = whole; index < target.length; index++)
      target[index] = this.nextUint32() & 0xff;
  }
}
