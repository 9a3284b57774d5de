import { MAD_TO_SD } from '../signals/robustCv.js';
import { medianInPlace } from './select.js';
import type { Samples } from './validate.js';

/** An accumulated gap shorter than this fraction of the period is a burst event, merged into the next. */
export const SHORT_FRACTION = 0.5;
/** Gaps longer than this many periods are silences, not missed beats. */
export const MAX_FOLD = 3;
/** A segment is on the beat grid when |I/P - k| / sqrt(k) <= this. */
export const GRID_TOLERANCE = 0.4;
/** Weight of each missed beat (k - 1 per folded segment) against the explained fraction. */
export const MISSED_PENALTY = 0.5;
/** Weight of each short (burst) interval against the explained fraction. */
export const SHORT_PENALTY = 0.5;

const INV_SQRT3 = 1 / Math.sqrt(3);

/** Mutable result of {@link foldTrain}; reused between calls. */
export interface FoldState {
  period: number;
  onGrid: number;
  offGrid: number;
  short: number;
  gaps: number;
  missed: number;
  explained: number;
  /** Robust spread of the normalised residuals, as a fraction of the period. */
  spread: number;
}

/** A fresh, zeroed {@link FoldState}. */
export function newFoldState(): FoldState {
  return { period: 0, onGrid: 0, offGrid: 0, short: 0, gaps: 0, missed: 0, explained: 0, spread: 0 };
}

/**
 * Walks the event train (in time order) against a beat grid of period `p0`: short gaps are merged
 * into the next segment (tasking bursts), each remaining segment is folded to k = round(I / P)
 * beats (k <= MAX_FOLD, else a silence), and the period is refitted as the least-squares slope of
 * event time against beat index over the on-grid segments (total on-grid time / total beats).
 * Absolute residuals `|I/P - k| / sqrt(k)` go to `resid` when given (0.5, the most ambiguous value, for
 * bursts and silences); returns how many were written.
 */
export function foldPass(intervals: Samples, n: number, p0: number, resid: Float64Array | null, s: FoldState): number {
  // counters live in locals (registers) in the hot loop and are written back once
  let acc = 0;
  let nr = 0;
  let sumT = 0;
  let sumK = 0;
  let onGrid = 0;
  let offGrid = 0;
  let short = 0;
  let gaps = 0;
  let missed = 0;
  const inv = 1 / p0;
  for (let i = 0; i < n; i++) {
    acc += intervals[i]!;
    const r = acc * inv;
    if (r < SHORT_FRACTION) {
      // a burst event: merged into the next segment; for the spread it counts as half a period off
      short++;
      if (resid !== null) resid[nr++] = 0.5;
      continue;
    }
    // k = round(r) for r in [0.5, 3.5) (MAX_FOLD = 3), by comparison: half-way rounds up, like Math.round
    if (r >= MAX_FOLD + 0.5) {
      gaps++;
      if (resid !== null) resid[nr++] = 0.5;
      acc = 0;
      continue;
    }
    let k: number;
    let d: number;
    if (r < 1.5) {
      k = 1;
      d = r - 1;
    } else if (r < 2.5) {
      k = 2;
      d = (r - 2) * Math.SQRT1_2;
    } else {
      k = 3;
      d = (r - 3) * INV_SQRT3;
    }
    if (d < 0) d = -d;
    if (resid !== null) resid[nr++] = d;
    if (d <= GRID_TOLERANCE) {
      onGrid++;
      missed += k - 1;
      sumT += acc;
      sumK += k;
    } else {
      offGrid++;
    }
    acc = 0;
  }
  s.onGrid = onGrid;
  s.offGrid = offGrid;
  s.short = short;
  s.gaps = gaps;
  s.missed = missed;
  s.period = sumK > 0 ? sumT / sumK : p0;
  const denom = onGrid + offGrid + gaps + SHORT_PENALTY * short + MISSED_PENALTY * missed;
  s.explained = denom > 0 ? onGrid / denom : 0;
  return nr;
}

/** Two passes of {@link foldPass}: from the seed period, then from the refitted one. */
export function foldTrain(intervals: Samples, n: number, seed: number, resid: Float64Array, s: FoldState): void {
  foldPass(intervals, n, seed, null, s);
  const nr = foldPass(intervals, n, s.period, resid, s);
  s.spread = nr > 0 ? MAD_TO_SD * medianInPlace(resid, nr) : Number.NaN;
}
