import { ScoringError } from './errors.js';
import type { Weights } from './types.js';

/** The original's default weights: CV 0.35, periodicity 0.35, jitter 0.15, size 0.15. */
export const DEFAULT_WEIGHTS: Readonly<Weights> = Object.freeze({ cv: 0.35, periodicity: 0.35, jitter: 0.15, size: 0.15 });

const NAMES = ['cv', 'periodicity', 'jitter', 'size'] as const;

/**
 * Checks custom weights (each finite and non-negative, not all zero) and scales them to sum to 1.
 * Missing fields take their {@link DEFAULT_WEIGHTS} value.
 * @throws {@link ScoringError} with code `INVALID_WEIGHTS` naming the offending field.
 */
export function normalizeWeights(weights: Partial<Weights> = DEFAULT_WEIGHTS): Weights {
  if (typeof weights !== 'object' || weights === null) {
    throw new ScoringError('INVALID_WEIGHTS', 'weights must be an object');
  }
  let sum = 0;
  const out: Weights = { cv: 0, periodicity: 0, jitter: 0, size: 0 };
  for (const name of NAMES) {
    const w = weights[name] ?? DEFAULT_WEIGHTS[name];
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new ScoringError('INVALID_WEIGHTS', `weights.${name} is ${String(w)}, expected a finite number`);
    }
    if (w < 0) throw new ScoringError('INVALID_WEIGHTS', `weights.${name} is negative (${w})`);
    out[name] = w;
    sum += w;
  }
  if (sum <= 0) throw new ScoringError('INVALID_WEIGHTS', 'weights are all zero');
  for (const name of NAMES) out[name] /= sum;
  return out;
}
