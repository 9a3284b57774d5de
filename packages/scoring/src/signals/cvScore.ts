import { softBelow } from '../internal/soft.js';
import { validateSamples, type Samples } from '../internal/validate.js';
import { robustCv } from './robustCv.js';
import type { SignalScore } from './signalScore.js';

/** Robust CV at which the CV signal reads 0.5. */
export const CV_MIDPOINT = 0.55;
const CV_SHAPE = 4;

/**
 * Interval-regularity signal.
 *
 * `rawValue = robustCv(intervals) = 1.4826 * MAD / median`,
 * `score = 1 / (1 + (rawValue / 0.55)^4)`.
 *
 * A jittered sleep loop has a small robust CV (Cobalt Strike at 50 % jitter about 0.25, Sliver
 * 60 s + 0..30 s about 0.17); a Poisson process has about 1.0 and scores ~0.08. The robust
 * estimator keeps one missed beat or a tasking burst from sinking the score. Scale-free:
 * multiplying every interval by a constant leaves it unchanged.
 * @throws {@link ScoringError} on NaN, infinite or negative intervals.
 */
export function cvScore(intervals: Samples): SignalScore {
  validateSamples(intervals, 'intervals');
  return cvScoreOf(robustCv(intervals));
}

/** Maps a robust CV to the CV signal (see {@link cvScore}); NaN gives score 0. */
export function cvScoreOf(rawValue: number): SignalScore {
  return { score: cvValue(rawValue), rawValue, threshold: CV_MIDPOINT };
}

/** The CV signal's score alone (no allocation), for scorePair's hot path. @internal */
export function cvValue(rawValue: number): number {
  return Number.isNaN(rawValue) ? 0 : softBelow(rawValue, CV_MIDPOINT, CV_SHAPE);
}
