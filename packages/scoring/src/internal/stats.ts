import type { IntervalStats } from '../types.js';
import { madInPlace, medianInPlace } from './select.js';
import type { Samples } from './validate.js';

/** Interval statistics; `jitter` is left 0 for the caller to fill. `work` must hold n values. */
export function intervalStats(values: Samples, n: number, work: Float64Array): IntervalStats {
  if (n === 0) return { count: 0, mean: 0, stdDev: 0, cv: 0, median: 0, min: 0, max: 0, mad: 0, jitter: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    work[i] = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  const stdDev = Math.sqrt(ss / n);
  const median = medianInPlace(work, n);
  // `work` now holds a permutation of the values, which is all the MAD needs
  const mad = madInPlace(work, n, median);
  return { count: n, mean, stdDev, cv: mean > 0 ? stdDev / mean : 0, median, min, max, mad, jitter: 0 };
}
