import { scorePair } from '@beacon/scoring';
import type { ScoreResult, Weights } from '@beacon/scoring';
import type { DetectorConfig } from '../config.js';
import type { PairState } from './pairState.js';

/** Reusable buffers so scoring a pair allocates nothing but the result. */
export class Scratch {
  /** Of the last {@link scoreWindow}: events in the window. */
  samples = 0;
  /** Of the last {@link scoreWindow}: seconds from the window's first to last event. */
  windowSeconds = 0;
  /** Events of the last history copied into `times`; its median interval, NaN until computed. */
  private n = 0;
  private median = Number.NaN;
  readonly times: Float64Array;
  readonly intervals: Float64Array;
  readonly sizes: Float64Array;
  readonly select: Float64Array;
  /** Views of `intervals`/`sizes` by length, made once (a view per pair would be garbage). */
  private readonly ivViews: Float64Array[] = [];
  private readonly szViews: Float64Array[] = [];

  constructor(readonly cap: number) {
    this.times = new Float64Array(cap);
    this.intervals = new Float64Array(cap);
    this.sizes = new Float64Array(cap);
    this.select = new Float64Array(cap);
  }

  /** Starts a pair whose `n` times (ms) are in `times`. */
  reset(n: number): void {
    this.n = n;
    this.median = Number.NaN;
  }

  /** Median interval (seconds) of the whole history last copied in, computed on first use. */
  medianInterval(): number {
    if (Number.isNaN(this.median)) {
      const t = this.times;
      const m = this.n - 1;
      for (let i = 0; i < m; i++) this.select[i] = ((t[i + 1] as number) - (t[i] as number)) / 1000;
      this.median = m > 0 ? quickselect(this.select, m, (m - 1) >>> 1) : 0;
    }
    return this.median;
  }

  /** `intervals[0..len)` as a reused view. */
  intervalsOf(len: number): Float64Array {
    return (this.ivViews[len] ??= this.intervals.subarray(0, len));
  }

  /** `sizes[0..len)` as a reused view. */
  sizesOf(len: number): Float64Array {
    return (this.szViews[len] ??= this.sizes.subarray(0, len));
  }
}

/** k-th smallest of a[0..n) (in place, Hoare quickselect). */
export function quickselect(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

/**
 * Scores the pair's effective window: events within
 * `max(timeWindow, (minConnections + 2) x median interval)` of its newest event, widened to at
 * least the newest `minConnections + 2` events and bounded by the ring (`maxHistory`). Returns
 * null when the history holds fewer than `minConnections` events; otherwise the score, with the
 * window's figures left in `s` (samples, windowSeconds, medianInterval()).
 */
export function scoreWindow(p: PairState, cfg: DetectorConfig, s: Scratch, weights: Weights | undefined): ScoreResult | null {
  const n = p.len;
  if (n < cfg.minConnections) return null;
  const cap = s.cap;
  const t = s.times;
  const ts = p.ts;
  for (let i = 0, idx = p.off + p.head, end = p.off + cap; i < n; i++) {
    t[i] = ts[idx] as number;
    if (++idx === end) idx = p.off;
  }
  s.reset(n);
  const newest = t[n - 1] as number;
  let start = 0;
  if ((newest - (t[0] as number)) / 1000 > cfg.timeWindow) {
    const windowMs = Math.max(cfg.timeWindow, (cfg.minConnections + 2) * s.medianInterval()) * 1000;
    const from = newest - windowMs;
    while (start < n && (t[start] as number) < from) start++;
    // Missed beats can stretch the median's window past fewer than minConnections events: the
    // window always reaches back to the newest minConnections + 2 events of the history.
    const floor = n - (cfg.minConnections + 2);
    if (start > floor) start = floor > 0 ? floor : 0;
  }
  const k = n - start;
  if (k < cfg.minConnections) return null;
  const iv = s.intervals;
  for (let i = 0; i < k - 1; i++) iv[i] = ((t[start + i + 1] as number) - (t[start + i] as number)) / 1000;
  const sz = s.sizes;
  const szRing = p.sz;
  for (let i = 0, idx = p.off + ((p.head + start) % cap), end = p.off + cap; i < k; i++) {
    sz[i] = szRing[idx] as number;
    if (++idx === end) idx = p.off;
  }
  s.samples = k;
  s.windowSeconds = (newest - (t[start] as number)) / 1000;
  return scorePair(s.intervalsOf(k - 1), s.sizesOf(k), weights);
}
