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

/**
 * `P(K <= k)` for `K ~ Binomial(n, q)`: the lower tail, summed exactly from the term at `k`
 * downwards (each term from the previous by one ratio; the sum stops once the terms no longer
 * matter). At or above the mean (`k >= n q`) it returns 1: there the tail is about a half or
 * more, and callers only use small tails as evidence, so 1 is the conservative answer.
 */
export function binomialLowerTail(k: number, n: number, q: number): number {
  if (k < 0) return 0;
  if (k >= n * q || k >= n) return 1;
  const lnTop = lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * Math.log(q) + (n - k) * Math.log1p(-q);
  const r = (1 - q) / q;
  let term = 1;
  let sum = 1;
  for (let i = k; i > 0; i--) {
    term *= (i * r) / (n - i + 1);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  const p = Math.exp(lnTop) * sum;
  return p > 1 ? 1 : p;
}
