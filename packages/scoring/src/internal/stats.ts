import type { IntervalStats } from '../types.js';
import { BAND_CHUNK, BAND_OF, BAND_TOP, BINS_PER_MEDIAN, unpackBands, type BandCounts } from '../signals/evidence.js';
import { medianInPlace } from './select.js';
import { validateSamples, type Samples } from './validate.js';

/**
 * Interval statistics; `jitter` is left 0 for the caller to fill. `work` must hold n values.
 * Validates the intervals on the way (a bad value throws as {@link validateSamples} does) and,
 * in the MAD pass, counts them into the evidence bands (`bands`) relative to the median, as
 * `addBands` does: one pass fewer than validating, measuring and counting apart.
 */
export function intervalStats(values: Samples, n: number, work: Float64Array, bands: BandCounts): IntervalStats {
  bands.below = 0;
  bands.beyond = 0;
  bands.onLattice = 0;
  bands.inside = 0;
  if (n === 0) return { count: 0, mean: 0, stdDev: 0, cv: 0, median: 0, min: 0, max: 0, mad: 0, jitter: 0 };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let bad = false;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(typeof v === 'number' && v >= 0 && v < Infinity)) bad = true;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    work[i] = v;
  }
  if (bad) validateSamples(values, 'intervals');
  const mean = sum / n;
  let ss = 0;
  // `work` holds the values in order still (a typed array: faster to read than `values`)
  for (let i = 0; i < n; i++) ss += (work[i]! - mean) ** 2;
  const stdDev = Math.sqrt(ss / n);
  const median = medianInPlace(work, n);
  // `work` now holds a permutation of the values, which is all the MAD and the counts need
  if (median > 0) {
    const scale = BINS_PER_MEDIAN / median;
    // the band counts of addBands, packed in one integer per chunk
    for (let i = 0; i < n; ) {
      const end = i + BAND_CHUNK < n ? i + BAND_CHUNK : n;
      let acc = 0;
      for (; i < end; i++) {
        const v = work[i]!;
        acc += BAND_OF[Math.min(v * scale, BAND_TOP) | 0]!;
        work[i] = Math.abs(v - median);
      }
      unpackBands(acc, bands);
    }
  } else {
    for (let i = 0; i < n; i++) work[i] = Math.abs(work[i]! - median);
    bands.below = n; // median 0: all below the floor, outside the bounds
  }
  const mad = medianInPlace(work, n);
  return { count: n, mean, stdDev, cv: mean > 0 ? stdDev / mean : 0, median, min, max, mad, jitter: 0 };
}
