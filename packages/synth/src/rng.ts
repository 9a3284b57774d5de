import { xoroshiro128plus } from 'pure-rand';

/** A seeded pseudo-random source (xoroshiro128+ from pure-rand). Same seed, same sequence. */
export interface Rng {
  /** Uniform double in [0, 1). */
  next(): number;
  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

/**
 * Creates a seeded {@link Rng}. Pure: nothing global is read or written.
 * @param seed - any integer (only the low 32 bits are used).
 * @example
 * const rng = createRng(42);
 * rng.next(); // same value every run
 */
export function createRng(seed: number): Rng {
  const gen = xoroshiro128plus(seed | 0);
  const next = (): number => {
    // 53 random bits from two 32-bit draws
    const a = gen.unsafeNext() >>> 5;
    const b = gen.unsafeNext() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };
  const rng: Rng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    exponential: (mean) => -mean * Math.log(1 - next()),
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    logNormal: (median, sigma) => median * Math.exp(sigma * rng.normal()),
    chance: (p) => next() < p,
  };
  return rng;
}

/**
 * mulberry32: a tiny seeded generator of numbers in [0, 1), for fixtures and benchmarks that need
 * the same sequence every run and nothing more (use {@link createRng} for traffic models).
 * @example
 * const next = mulberry32(7);
 * next(); // 0.011704753153026104, every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
