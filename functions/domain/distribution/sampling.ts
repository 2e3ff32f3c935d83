/**
 * The mystery-customer draw (神秘客户): a simple random sample of a project's customers, drawn
 * so that anyone can repeat it. The same items, size and seed always give the same sample on
 * every machine (xoshiro128** seeded through splitmix32, the generator the PLS bootstrap uses).
 */
import { randomIndex, seededRandom } from '../pls/random';

/**
 * A seed as the generator's integer: a non-negative safe integer is used as it is; any other
 * number or a string (e.g. "2026-05 project-7") is hashed (cyrb53, 53 bits).
 */
export function seedNumber(seed: string | number): number {
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return seed;
  const text = String(seed);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * `size` items drawn without replacement, each subset equally likely (a partial Fisher-Yates
 * shuffle driven by the seeded generator), in the order drawn. `size` >= items.length returns
 * every item in its original order; `size` 0 returns none. The input is not modified.
 */
export function drawSample<T>(items: readonly T[], size: number, seed: string | number): T[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`the sample size must be a non-negative integer, not ${size}`);
  if (size >= items.length) return [...items];
  const pool = [...items];
  const random = seededRandom(seedNumber(seed));
  for (let i = 0; i < size; i += 1) {
    const j = i + randomIndex(random, pool.length - i);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, size);
}
