import { binomialLowerTail } from '../internal/binomial.js';
import { GRID_TOLERANCE, MAX_FOLD } from '../internal/fold.js';

/**
 * How an interval train compares with a memoryless (Poisson) process of the same size: the
 * p-values of three counts under that null, each a binomial tail (see docs/scoring.md for the
 * derivation). An exponential interval with median M lies in `[a M, b M]` with probability
 * `2^-a - 2^-b`, whatever the rate.
 */
export interface Evidence {
  /** Intervals counted. */
  n: number;
  /** Intervals outside [0.5, 1.5] x median (a Poisson process has 64.6 % there). */
  outsideTight: number;
  /** Intervals outside [0.2, 2] x median: below the floor or above the ceiling (Poisson: 37.9 %). */
  outsideWide: number;
  /** Segments on the fitted beat grid (from the event-train fit; -1 when no fit ran). */
  onGrid: number;
  /** `P(K <= outsideTight)` under the Poisson null. */
  pTight: number;
  /** `P(K <= outsideWide)` under the Poisson null: the bounded-sleep evidence. */
  pWide: number;
  /** `P(on-grid >= onGrid)` under the Poisson null. */
  pGrid: number;
  /** Combined: `min(1, 3 x min(pTight, pWide, pGrid))` (Bonferroni over the three tests). */
  pValue: number;
}

/** Band of the tight test, as multiples of the median interval. */
export const TIGHT_BAND: readonly [number, number] = [0.5, 1.5];
/** Band of the wide (floor and ceiling) test, as multiples of the median interval. */
export const WIDE_BAND: readonly [number, number] = [0.2, 2];

/** Probability that an exponential interval falls outside `[lo, hi] x` its median. */
export function poissonOutside(lo: number, hi: number): number {
  return 1 - (Math.pow(2, -lo) - Math.pow(2, -hi));
}

/**
 * Probability that an exponential interval lands on the event-train fit's beat grid when the
 * period is its median: segments of k beats (k = round(I/P) <= 3) are on the grid within
 * `GRID_TOLERANCE x sqrt(k)` periods, so the grid covers [1 - t, 1 + t] and, for k = 2 and 3,
 * the whole rounding cell [k - 0.5, k + 0.5) (its tolerance is wider than the cell).
 */
export function poissonOnGrid(): number {
  let p = Math.pow(2, -(1 - GRID_TOLERANCE)) - Math.pow(2, -(1 + GRID_TOLERANCE));
  for (let k = 2; k <= MAX_FOLD; k++) {
    const lo = Math.max(k - 0.5, k - GRID_TOLERANCE * Math.sqrt(k));
    const hi = Math.min(k + 0.5, k + GRID_TOLERANCE * Math.sqrt(k));
    p += Math.pow(2, -lo) - Math.pow(2, -hi);
  }
  return p;
}

const Q_TIGHT = poissonOutside(TIGHT_BAND[0], TIGHT_BAND[1]);
const Q_WIDE = poissonOutside(WIDE_BAND[0], WIDE_BAND[1]);
const Q_OFF_GRID = 1 - poissonOnGrid();

/**
 * Counts the intervals outside both bands around `median` and turns the counts (and the fit's
 * on-grid segments) into p-values under a Poisson null. One pass; allocates the result only.
 * @internal
 */
export function evidenceOf(intervals: ArrayLike<number>, n: number, median: number, onGrid: number): Evidence {
  let outT = 0;
  let outW = 0;
  if (median > 0) {
    const t0 = TIGHT_BAND[0] * median;
    const t1 = TIGHT_BAND[1] * median;
    const w0 = WIDE_BAND[0] * median;
    const w1 = WIDE_BAND[1] * median;
    for (let i = 0; i < n; i++) {
      const x = intervals[i] as number;
      if (x < t0 || x > t1) {
        outT++;
        if (x < w0 || x > w1) outW++;
      }
    }
  } else {
    outT = outW = n;
  }
  const pTight = binomialLowerTail(outT, n, Q_TIGHT);
  const pWide = binomialLowerTail(outW, n, Q_WIDE);
  const pGrid = onGrid < 0 ? 1 : binomialLowerTail(n - onGrid, n, Q_OFF_GRID);
  const m = Math.min(pTight, pWide, pGrid);
  return { n, outsideTight: outT, outsideWide: outW, onGrid, pTight, pWide, pGrid, pValue: m * 3 > 1 ? 1 : m * 3 };
}
