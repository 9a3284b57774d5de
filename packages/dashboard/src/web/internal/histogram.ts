/** One bin of a log-spaced interval histogram. */
export interface LogBin {
  /** Lower and upper edge, seconds. */
  lo: number;
  hi: number;
  /** Geometric centre, seconds. */
  mid: number;
  count: number;
}

/**
 * Intervals between consecutive events (seconds), zero gaps (same-millisecond events) left out.
 */
export function intervalsOf(times: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const d = (times[i] as number) - (times[i - 1] as number);
    if (d > 0) out.push(d);
  }
  return out;
}

/**
 * Bins intervals on a log scale with `perDecade` bins per power of ten. The grid is laid so that
 * `anchor` (the estimated period; the median interval when absent) is the centre of its bin:
 * bin k spans anchor·10^((k-½)/perDecade) to anchor·10^((k+½)/perDecade), so a jittered beacon
 * never straddles an edge that happens to fall on its period. Empty bins between the first and
 * last filled one are kept (a gap in the histogram is information).
 */
export function logHistogram(intervals: readonly number[], perDecade = 20, anchor?: number | null): LogBin[] {
  if (intervals.length === 0) return [];
  const a = anchor && anchor > 0 ? anchor : median(intervals);
  const idx = (x: number): number => Math.floor(Math.log10(x / a) * perDecade + 0.5);
  let min = Infinity;
  let max = -Infinity;
  for (const x of intervals) {
    const k = idx(x);
    if (k < min) min = k;
    if (k > max) max = k;
  }
  const counts = new Array<number>(max - min + 1).fill(0);
  for (const x of intervals) counts[idx(x) - min]!++;
  return counts.map((count, i) => {
    const k = min + i;
    return { lo: a * 10 ** ((k - 0.5) / perDecade), hi: a * 10 ** ((k + 0.5) / perDecade), mid: a * 10 ** (k / perDecade), count };
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)] as number;
}

/** The fullest bin (the first of equals), or undefined for an empty histogram. */
export function peakBin(bins: readonly LogBin[]): LogBin | undefined {
  let best: LogBin | undefined;
  for (const b of bins) if (best === undefined || b.count > best.count) best = b;
  return best;
}
