import { rocAuc } from '@beacon/scoring';

/** One pair as the metrics see it: its score (0 when never scored) and whether it is a beacon. */
export interface Scored {
  score: number;
  beacon: boolean;
}

/** Detection-quality metrics at one threshold, plus the threshold-free ROC-AUC. */
export interface Metrics {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** tp / (tp + fp); null when nothing was flagged. */
  precision: number | null;
  /** tp / (tp + fn); null when the truth holds no beacon. */
  recall: number | null;
  /** Harmonic mean of precision and recall; null when either is null or both are 0. */
  f1: number | null;
  /** fp / (fp + tn); null when there are no negatives. */
  false_positive_rate: number | null;
  /** Probability that a random beacon outscores a random non-beacon (ties count half; `rocAuc` of `@beacon/scoring`); null when a class is empty. */
  roc_auc: number | null;
  /** Why a metric is null. */
  notes: string[];
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/**
 * Confusion counts at `threshold` (a pair is flagged when its score is at or above it) and the
 * metrics derived from them.
 * @example
 * computeMetrics([{ score: 0.9, beacon: true }, { score: 0.2, beacon: false }], 0.7).f1; // 1
 */
export function computeMetrics(items: readonly Scored[], threshold: number): Metrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const i of items) {
    const flagged = i.score >= threshold;
    if (i.beacon && flagged) tp++;
    else if (i.beacon) fn++;
    else if (flagged) fp++;
    else tn++;
  }
  const notes: string[] = [];
  const precision = ratio(tp, tp + fp);
  if (precision === null) notes.push('precision undefined: nothing was flagged');
  const recall = ratio(tp, tp + fn);
  if (recall === null) notes.push('recall undefined: the ground truth holds no beacon');
  const f1 = precision === null || recall === null || precision + recall === 0 ? null : (2 * precision * recall) / (precision + recall);
  const false_positive_rate = ratio(fp, fp + tn);
  if (false_positive_rate === null) notes.push('false-positive rate undefined: no non-beacon pair');
  const roc_auc = rocAuc(
    items.filter((i) => i.beacon).map((i) => i.score),
    items.filter((i) => !i.beacon).map((i) => i.score),
  );
  if (roc_auc === null) notes.push('ROC-AUC undefined: it needs both beacons and non-beacons');
  return { threshold, tp, fp, tn, fn, precision, recall, f1, false_positive_rate, roc_auc, notes };
}
