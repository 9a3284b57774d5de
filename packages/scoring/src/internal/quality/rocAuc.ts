/**
 * ROC-AUC of scores for positives vs negatives (Mann-Whitney U with ties counted as 1/2):
 * the probability that a random positive outscores a random negative. NaN when either side is empty.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [...positives.map((s) => ({ s, p: true })), ...negatives.map((s) => ({ s, p: false }))];
  all.sort((a, b) => a.s - b.s);
  // average ranks over ties
  let rankSumPos = 0;
  let i = 0;
  while (i < all.length) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.s === all[i]!.s) j++;
    const avgRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (all[k]!.p) rankSumPos += avgRank;
    i = j + 1;
  }
  const np = positives.length;
  const nn = negatives.length;
  return (rankSumPos - (np * (np + 1)) / 2) / (np * nn);
}
