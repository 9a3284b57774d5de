import { clamp01 } from '../internal/soft.js';
import type { Samples } from '../internal/validate.js';
import { fitEventTrain, type EventTrainFit } from './eventTrain.js';
import type { SignalScore } from './signalScore.js';

/** Explained fraction at which the periodicity signal is 0. */
export const PERIODICITY_FLOOR = 0.45;
/** Explained fraction at which the periodicity signal reaches 1. */
export const PERIODICITY_FULL = 0.85;

/** The periodicity signal plus the period it found. */
export interface PeriodicityScore extends SignalScore {
  /** Fitted beat period in seconds, or null. */
  periodSeconds: number | null;
}

/**
 * Event-train periodicity signal.
 *
 * `rawValue = explainedFraction` of {@link fitEventTrain} (the share of the train that sits on a
 * beat grid, with missed beats and bursts each costing half a segment),
 * `score = clamp((rawValue - 0.45) / (0.85 - 0.45), 0, 1)`.
 *
 * A beacon missing one beat in four still explains about 0.86 of its train; a Poisson process
 * explains about 0.4.
 * @throws {@link ScoringError} on NaN, infinite or negative intervals.
 */
export function periodicityScore(intervals: Samples): PeriodicityScore {
  return periodicityScoreOf(fitEventTrain(intervals));
}

/** Maps an {@link EventTrainFit} to the periodicity signal (see {@link periodicityScore}). */
export function periodicityScoreOf(fit: EventTrainFit): PeriodicityScore {
  const rawValue = fit.explainedFraction;
  return { score: periodicityValue(rawValue), rawValue, threshold: PERIODICITY_MIDPOINT, periodSeconds: fit.periodSeconds };
}

/** Explained fraction at which the periodicity signal reads 0.5. @internal */
export const PERIODICITY_MIDPOINT: number = (PERIODICITY_FLOOR + PERIODICITY_FULL) / 2;

/** The periodicity signal's score from an explained fraction (no allocation). @internal */
export function periodicityValue(explainedFraction: number): number {
  return clamp01((explainedFraction - PERIODICITY_FLOOR) / (PERIODICITY_FULL - PERIODICITY_FLOOR));
}
