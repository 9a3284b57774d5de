import { softBelow } from '../internal/soft.js';
import { validateSamples, type Samples } from '../internal/validate.js';
import { robustCv } from './robustCv.js';
import type { SignalScore } from './signalScore.js';

/** Robust size CV at which the size signal reads 0.5. */
export const SIZE_MIDPOINT = 0.5;
const SIZE_SHAPE = 2;

/**
 * Payload-size regularity signal.
 *
 * `rawValue = robustCv(sizes) = 1.4826 * MAD / median` (all-equal sizes, including all zero,
 * give 0: a 0-byte reconnect loop is perfectly regular), `score = 1 / (1 + (rawValue / 0.5)^2)`.
 * Order of the sizes does not matter. Empty input gives NaN and score 0; {@link scorePair}
 * instead treats empty sizes as neutral and redistributes the size weight.
 * @throws {@link ScoringError} on NaN, infinite or negative sizes.
 */
export function sizeScore(sizes: Samples): SignalScore {
  validateSamples(sizes, 'sizes');
  return sizeScoreOf(robustCv(sizes));
}

/** Maps a robust size CV to the size signal (see {@link sizeScore}). */
export function sizeScoreOf(rawValue: number): SignalScore {
  return { score: sizeValue(rawValue), rawValue, threshold: SIZE_MIDPOINT };
}

/** The size signal's score alone (no allocation), for scorePair's hot path. @internal */
export function sizeValue(rawValue: number): number {
  return Number.isNaN(rawValue) ? 0 : softBelow(rawValue, SIZE_MIDPOINT, SIZE_SHAPE);
}
