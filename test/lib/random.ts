/**
 * The one seeded PRNG of the tests (mulberry32): the same seed gives the same sequence, so a
 * fuzz run, a soak or a randomised equivalence test reproduces from its seed.
 */

/** Random helpers over one seeded stream. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Buffer;
  /** True with probability p. */
  chance(p: number): boolean;
}

/** The generator for `seed`. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    bytes(n) {
      const out = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
    chance: (p) => next() < p,
  };
}
