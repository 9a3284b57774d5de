/**
 * Smooth, monotone "lower is better" map of a non-negative raw value to [0, 1]:
 * `1 / (1 + (x / c)^p)`; equals 0.5 at `x = c`, tends to 1 as x -> 0 and to 0 as x -> infinity.
 */
export function softBelow(x: number, c: number, p: number): number {
  if (!(x > 0)) return 1;
  if (!Number.isFinite(x)) return 0;
  const r = x / c;
  // integer shapes as products: cheaper than Math.pow on the hot path
  const rp = p === 4 ? r * r * r * r : p === 2 ? r * r : Math.pow(r, p);
  return 1 / (1 + rp);
}

/** Clamps `x` to [0, 1]. */
export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
