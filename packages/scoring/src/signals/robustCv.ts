import { madInPlace, medianInPlace } from '../internal/select.js';
import { scratchB } from '../internal/scratch.js';
import type { Samples } from '../internal/validate.js';

/** Scale that turns a median absolute deviation into a standard deviation for normal data. */
export const MAD_TO_SD = 1.4826;

/**
 * Robust coefficient of variation: `1.4826 * MAD(x) / median(x)`.
 *
 * Unlike `stdDev / mean`, a few outliers (a missed beat, a tasking burst, one large download)
 * barely move it. All-equal values, including all zeros, give 0. When more than half the values
 * are 0 but not all (median 0, so the ratio is undefined) it falls back to the plain
 * `stdDev / mean`. Empty input gives NaN. Values are not validated here.
 */
export function robustCv(values: Samples): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const a = scratchB(n);
  for (let i = 0; i < n; i++) a[i] = values[i]!;
  const med = medianInPlace(a, n);
  // `a` now holds a permutation of the values, which is all the MAD needs
  const mad = madInPlace(a, n, med);
  if (med > 0) return (MAD_TO_SD * mad) / med;
  // median is 0: either all zero (perfectly regular) or mostly zero
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  if (sum === 0) return 0;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / n) / mean;
}
