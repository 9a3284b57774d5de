import { BeaconError, errorGuard } from './beaconError.js';

/** Machine-readable reason for a {@link ScoringError}. */
export type ScoringErrorCode = 'INVALID_INTERVAL' | 'INVALID_SIZE' | 'INVALID_WEIGHTS';

/** Thrown by {@link scorePair} and the signal functions for malformed input (never for too few samples). */
export class ScoringError extends BeaconError<ScoringErrorCode> {
  override readonly name = 'ScoringError' as const;
}

/**
 * True when `err` is a {@link ScoringError} (checks `name` and `code`, so it works across bundles).
 * @example
 * try { scorePair([1, NaN, 1], []); } catch (e) { if (isScoringError(e)) console.log(e.code); }
 */
export const isScoringError: (err: unknown) => err is ScoringError = errorGuard<ScoringError>('ScoringError', ['INVALID_INTERVAL', 'INVALID_SIZE', 'INVALID_WEIGHTS']);
