/**
 * ROC-AUC of a detector's scores: the probability that a random positive (a beacon) outscores
 * a random negative, computed as the Mann-Whitney U statistic over ranks, with tied scores
 * given their average rank so a tie between the classes counts half. O(n log n).
 *
 * The one implementation shared by the scoring quality report and `@beacon/hunt`'s evaluation.
 * Returns null when either side is empty (the area is undefined then, not 0 or 1).
 * @example
 * rocAuc([0.9, 0.8], [0.1, 0.2]); // 1
 * rocAuc([0.5], [0.5]); // 0.5
 * rocAuc([], [0.3]); // null
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number | null {
  const np = positives.length;
  const nn = negatives.length;
  if (np === 0 || nn === 0) return null;
  const n = np + nn;
  const scores = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < np; i++) scores[i] = positives[i] as number;
  for (let i = 0; i < nn; i++) scores[np + i] = negatives[i] as number;
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    const s = scores[order[i] as number] as number;
    while (j + 1 < n && scores[order[j + 1] as number] === s) j++;
    const avgRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) if ((order[k] as number) < np) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (np * (np + 1)) / 2) / (np * nn);
}
