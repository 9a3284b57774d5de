import { foldTrain, newFoldState } from '../internal/fold.js';
import { medianInPlace } from '../internal/select.js';
import { scratchA } from '../internal/scratch.js';
import { validateSamples, type Samples } from '../internal/validate.js';

/** How well the event train fits a beat grid; see {@link fitEventTrain}. */
export interface EventTrainFit {
  /** Fitted beat period in seconds (same unit as the intervals), or null when none could be fitted. */
  periodSeconds: number | null;
  /** Segments that land on the grid (within 0.4 * sqrt(k) periods of k beats, k <= 3). */
  onGrid: number;
  /** Segments of 1..3 beats that land between grid points. */
  offGrid: number;
  /** Short intervals (< 0.5 P accumulated) merged into the next segment: tasking bursts. */
  short: number;
  /** Silences longer than 3.5 periods. */
  gaps: number;
  /** Beats missing inside on-grid segments (sum of k - 1). */
  missedBeats: number;
  /** `onGrid / (onGrid + offGrid + gaps + 0.5 * short + 0.5 * missedBeats)`, in [0, 1]. */
  explainedFraction: number;
  /** Robust spread of the beat residuals as a fraction of the period: `1.4826 * median(|I/P - k| / sqrt(k))`. */
  relativeJitter: number;
}

/**
 * Fits a beat grid to the event train (the event times are the cumulative sums of `intervals`).
 *
 * 1. Seed period `P0 = median(intervals)`.
 * 2. Walk the train: an accumulated gap `< 0.5 P` is a burst event, merged into the next
 *    segment; a segment of length `I` covers `k = round(I / P)` beats; `k > 3` is a silence.
 *    A segment is on the grid when `|I/P - k| / sqrt(k) <= 0.4` (jitter of a sum of k sleeps
 *    grows like sqrt(k)).
 * 3. Refit `P = sum(on-grid I) / sum(on-grid k)`: the least-squares slope of event time on
 *    beat index, so the period is the beacon's period in seconds, not a period of the
 *    interval sequence. Repeat step 2 once with the refitted P.
 *
 * Missed beats and bursts are penalised (half a segment each) so that a Poisson process cannot
 * be "explained" by a small period folding many intervals. Every threshold is relative to P,
 * so the fit is invariant to time scale. Fewer than 3 intervals or a zero total give an empty
 * fit (`periodSeconds` null, `explainedFraction` 0).
 * @throws {@link ScoringError} on NaN, infinite or negative intervals.
 */
export function fitEventTrain(intervals: Samples): EventTrainFit {
  validateSamples(intervals, 'intervals');
  const n = intervals.length;
  const work = scratchA(n);
  for (let i = 0; i < n; i++) work[i] = intervals[i]!;
  const seed = n > 0 ? medianInPlace(work, n) : 0;
  return fitEventTrainFrom(intervals, n, seed, work);
}

const state = newFoldState();

/** {@link fitEventTrain} given the median (used by scorePair to avoid recomputing it). */
export function fitEventTrainFrom(intervals: Samples, n: number, median: number, work: Float64Array): EventTrainFit {
  let seed = median;
  if (!(seed > 0) && n > 0) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += intervals[i]!;
    seed = sum / n;
  }
  if (n < 3 || !(seed > 0)) {
    return { periodSeconds: null, onGrid: 0, offGrid: 0, short: 0, gaps: 0, missedBeats: 0, explainedFraction: 0, relativeJitter: Number.NaN };
  }
  foldTrain(intervals, n, seed, work, state);
  return {
    periodSeconds: state.onGrid > 0 ? state.period : null,
    onGrid: state.onGrid,
    offGrid: state.offGrid,
    short: state.short,
    gaps: state.gaps,
    missedBeats: state.missed,
    explainedFraction: state.explained,
    relativeJitter: state.spread,
  };
}
