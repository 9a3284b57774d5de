const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Gamma(x) for x > 0: Stirling's series after shifting x above 8 (error below 1e-12). */
export function lnGamma(x: number): number {
  let shift = 0;
  while (x < 8) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
  return (x - 0.5) * Math.log(x) - x + HALF_LN_2PI + series - shift;
}

/** Largest n whose ln n! is kept in the table (64 KiB); above it, {@link lnGamma}. */
const TABLE_MAX = 8191;
let lnFact = new Float64Array([0, 0]);
let inv = new Float64Array([Infinity, 1]);

/** ln n! for an integer n >= 0, from a grow-only table (each entry from the previous by one log). */
export function lnFactorial(n: number): number {
  if (n < lnFact.length) return lnFact[n]!;
  if (n > TABLE_MAX) return lnGamma(n + 1);
  let size = lnFact.length;
  while (size <= n) size *= 2;
  if (size > TABLE_MAX + 1) size = TABLE_MAX + 1;
  const next = new Float64Array(size);
  const nextInv = new Float64Array(size);
  next.set(lnFact);
  nextInv.set(inv);
  for (let i = lnFact.length; i < size; i++) {
    next[i] = next[i - 1]! + Math.log(i);
    nextInv[i] = 1 / i;
  }
  lnFact = next;
  inv = nextInv;
  return lnFact[n]!;
}

const RELATIVE_PRECISION = 1e-7;

/**
 * `P(K <= k)` for `K ~ Binomial(n, q)`: the lower tail, summed exactly from the term at `k`
 * downwards (each term from the previous by one ratio; the sum stops once the terms no longer
 * matter: to a relative precision of 1e-7, far finer than any use of a p-value here). `lnQ` and `ln1mQ` are `ln q` and `ln(1 - q)`, for callers that reuse one q. At or above the mean (`k >= n q`) it returns 1: there the tail is about a half or
 * more, and callers only use small tails as evidence, so 1 is the conservative answer.
 */
export function binomialLowerTail(k: number, n: number, q: number, lnQ: number = Math.log(q), ln1mQ: number = Math.log1p(-q)): number {
  if (k < 0) return 0;
  if (k >= n * q || k >= n) return 1;
  if (k === 0) return Math.exp(n * ln1mQ);
  const lnTop = lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k) + k * lnQ + (n - k) * ln1mQ;
  const r = (1 - q) / q;
  // lnFactorial(n) above filled the reciprocal table up to n when n is within it
  const table = n < inv.length;
  let term = 1;
  let sum = 1;
  for (let i = k; i > 0; i--) {
    const m = n - i + 1;
    term *= i * r * (table ? inv[m]! : 1 / m);
    sum += term;
    if (term < RELATIVE_PRECISION * sum) break;
  }
  const p = Math.exp(lnTop) * sum;
  return p > 1 ? 1 : p;
}

/**
 * `ln P(K <= k)` for `K ~ Binomial(n, q)`, as {@link binomialLowerTail} but in log space (no
 * exponential; at most one logarithm): 0 at or above the mean, `n ln(1 - q)` for k = 0.
 */
export function binomialLowerTailLn(k: number, n: number, q: number, lnQ: number, ln1mQ: number): number {
  if (k < 0) return -Infinity;
  if (k >= n * q || k >= n) return 0;
  if (k === 0) return n * ln1mQ;
  const lnTop = lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k) + k * lnQ + (n - k) * ln1mQ;
  const r = (1 - q) / q;
  const table = n < inv.length;
  let term = 1;
  let sum = 1;
  for (let i = k; i > 0; i--) {
    const m = n - i + 1;
    term *= i * r * (table ? inv[m]! : 1 / m);
    sum += term;
    if (term < RELATIVE_PRECISION * sum) break;
  }
  const lnP = lnTop + Math.log(sum);
  return lnP > 0 ? 0 : lnP;
}

/**
 * `min(limit, ln P(K <= k))` for `K ~ Binomial(n, q)`, with the same value as taking the minimum
 * of `limit` and {@link binomialLowerTailLn}, for `limit < 0`. The tail is at least its largest
 * term (`lnTop` below), so when that term is already at or above `limit` the sum and its
 * logarithm are skipped.
 */
export function binomialLowerTailLnBelow(k: number, n: number, q: number, lnQ: number, ln1mQ: number, limit: number): number {
  if (k >= n * q || k >= n) return limit; // the tail is 1 (ln 0), above any negative limit
  if (k <= 0) {
    const v = k < 0 ? -Infinity : n * ln1mQ;
    return v < limit ? v : limit;
  }
  const lnTop = lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k) + k * lnQ + (n - k) * ln1mQ;
  if (lnTop >= limit) return limit;
  const r = (1 - q) / q;
  const table = n < inv.length;
  let term = 1;
  let sum = 1;
  for (let i = k; i > 0; i--) {
    const m = n - i + 1;
    term *= i * r * (table ? inv[m]! : 1 / m);
    sum += term;
    if (term < RELATIVE_PRECISION * sum) break;
  }
  const lnP = lnTop + Math.log(sum);
  return lnP < limit ? lnP : limit;
}
