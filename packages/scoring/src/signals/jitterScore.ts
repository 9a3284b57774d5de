import { softBelow } from '../internal/soft.js';
import type { Samples } from '../internal/validate.js';
import { fitEventTrain, type EventTrainFit } from './eventTrain.js';
import type { SignalScore } from './signalScore.js';

/** Relative jitter at which the jitter signal reads 0.5. */
export const JITTER_MIDPOINT = 0.4;
const JITTER_SHAPE = 4;

/**
 * Bounded-jitter signal.
 *
 * `rawValue = relativeJitter` of {@link fitEventTrain}: `1.4826 * median(|I/P - k| / sqrt(k))`
 * over the folded segments (bursts and silences count as 0.5, the most ambiguous value), the robust spread of each callback around its slot as a fraction of
 * the period; `score = 1 / (1 + (rawValue / 0.4)^4)`.
 *
 * Unlike the original's "maximum deviation from the median against 5 s", one tasking burst or
 * one missed beat does not zero it, and it is relative, so a 2 s and a 3,600 s beacon with the
 * same jitter score the same. Cobalt Strike at 50 % jitter measures about 0.25 (score ~0.8);
 * Mythic at +-23 % about 0.17.
 * @throws {@link ScoringError} on NaN, infinite or negative intervals.
 */
export function jitterScore(intervals: Samples): SignalScore {
  return jitterScoreOf(fitEventTrain(intervals));
}

/** Maps an {@link EventTrainFit} to the jitter signal (see {@link jitterScore}); no fit gives 0. */
export function jitterScoreOf(fit: EventTrainFit): SignalScore {
  return { score: jitterValue(fit.relativeJitter), rawValue: fit.relativeJitter, threshold: JITTER_MIDPOINT };
}

/** The jitter signal's score from a relative jitter (no allocation). @internal */
export function jitterValue(relativeJitter: number): number {
  return Number.isNaN(relativeJitter) ? 0 : softBelow(relativeJitter, JITTER_MIDPOINT, JITTER_SHAPE);
}
