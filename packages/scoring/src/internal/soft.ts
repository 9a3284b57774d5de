/**
 * Smooth, monotone "lower is better" map of a non-negative raw value to [0, 1]:
 * `1 / (1 + (x / c)^p)`; equals 0.5 at `x = c`, tends to 1 as x -> 0 and to 0 as x -> infinity.
 */
export function softBelow(x: number, c: number, p: number): number {
  if (!(x > 0)) return 1;
  if (!Number.isFinite(x)) return 0;
  return 1 / (1 + Math.pow(x / c, p));
}

/** Clamps `x` to [0, 1]. */
export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
