// Seeded PRNG (mulberry32): the generator must be deterministic per seed.

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponentially distributed value with the given mean. */
export function expRandom(rnd: Random, mean: number): number {
  return -Math.log(1 - rnd()) * mean;
}
