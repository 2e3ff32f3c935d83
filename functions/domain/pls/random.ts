/**
 * A seeded uniform generator (xoshiro128**, seeded through splitmix32), so that a bootstrap with
 * the same seed draws the same resamples on every machine and in every run. Math.random cannot be
 * seeded, and neither jstat nor simple-statistics offers a seedable generator.
 */

export type UniformRandom = () => number;

export function seededRandom(seed: number): UniformRandom {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`the seed must be a non-negative integer, not ${seed}`);
  const low = seed >>> 0;
  const high = Math.floor(seed / 2 ** 32) >>> 0;
  let mix = (low ^ Math.imul(high, 0x85ebca6b)) >>> 0;
  const splitmix32 = (): number => {
    mix = (mix + 0x9e3779b9) | 0;
    let z = mix ^ (mix >>> 16);
    z = Math.imul(z, 0x21f0aaad);
    z ^= z >>> 15;
    z = Math.imul(z, 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  const rotateLeft = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
  return () => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotateLeft(d, 11);
    return result / 2 ** 32;
  };
}

/** A uniform integer in [0, size). The modulo bias of a 32-bit draw is below size / 2^32. */
export function randomIndex(random: UniformRandom, size: number): number {
  return Math.floor(random() * size);
}
