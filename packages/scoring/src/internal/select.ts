/**
 * In-place selection (Hoare's quickselect with median-of-three pivots) on `a[0..n)`.
 * Returns the k-th smallest value; reorders `a`. Expected O(n); after 2 log2(n) + 8 rounds
 * without converging (adversarial input) it sorts the remaining range, so O(n log n) at worst.
 */
export function selectKth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  // 2 ceil(log2(n + 1)) + 8: the bit length of n is ceil(log2(n + 1))
  let budget = 2 * (32 - Math.clz32(n)) + 8;
  sortedFrom = k;
  while (hi > lo) {
    if (--budget < 0) {
      a.subarray(lo, hi + 1).sort();
      sortedFrom = lo;
      return a[k]!;
    }
    if (hi - lo < 16) {
      // insertion sort for small ranges
      for (let i = lo + 1; i <= hi; i++) {
        const v = a[i]!;
        let j = i - 1;
        while (j >= lo && a[j]! > v) {
          a[j + 1] = a[j]!;
          j--;
        }
        a[j + 1] = v;
      }
      sortedFrom = lo;
      return a[k]!;
    }
    const mid = (lo + hi) >>> 1;
    // median of three into a[mid]
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else {
      // a[j+1..i) all equal the pivot
      sortedFrom = j + 1;
      return a[k]!;
    }
  }
  return a[k]!;
}

/**
 * After {@link selectKth}: an index at or below k such that `a[sortedFrom..k]` is in order and
 * nothing before it is larger than `a[sortedFrom]`; so for `k - 1 >= sortedFrom`, `a[k - 1]`
 * is the largest of `a[0..k)`.
 */
let sortedFrom = 0;

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Median of `a[0..n)` (mean of the two middle values for even n); reorders `a`. NaN when n is 0. */
export function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) return Number.NaN;
  const h = n >>> 1;
  const upper = selectKth(a, n, h);
  if (n % 2 === 1) return upper;
  // after selection, a[0..h) holds the h smallest values: the lower middle is their maximum,
  // which selection often leaves at a[h - 1] already
  if (h - 1 >= sortedFrom) return (a[h - 1]! + upper) / 2;
  let lower = a[0]!;
  for (let i = 1; i < h; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** Median absolute deviation of `a[0..n)` from `center`; overwrites `a` with the deviations. */
export function madInPlace(a: Float64Array, n: number, center: number): number {
  for (let i = 0; i < n; i++) a[i] = Math.abs(a[i]! - center);
  return medianInPlace(a, n);
}
