import { BeaconError, errorGuard } from '@beacon/scoring';

/** Machine-readable reason for a {@link DetectorError}. */
export type DetectorErrorCode =
  /** A configuration (options, `updateConfig`) failed validation. */
  | 'INVALID_CONFIG'
  /** An event failed validation (only thrown by {@link parseEvent}; ingest counts instead). */
  | 'INVALID_EVENT'
  /** A state snapshot passed to `importState` failed validation. */
  | 'INVALID_STATE'
  /** Scoring one pair threw during an analysis run (reported through the `error` event). */
  | 'ANALYSIS_FAILED'
  /** A query argument was out of range. */
  | 'INVALID_ARGUMENT';

/** The one error class of `@beacon/detector`. Messages name the offending field path or index. */
export class DetectorError extends BeaconError<DetectorErrorCode> {
  override readonly name = 'DetectorError' as const;
}

/**
 * True when `err` is a {@link DetectorError} (checks `name` and `code`, so it works across bundles).
 * @example
 * try { detector.updateConfig({ minConnections: -1 }); } catch (e) { if (isDetectorError(e)) console.log(e.code); }
 */
export const isDetectorError: (err: unknown) => err is DetectorError = errorGuard<DetectorError>('DetectorError', ['INVALID_CONFIG', 'INVALID_EVENT', 'INVALID_STATE', 'ANALYSIS_FAILED', 'INVALID_ARGUMENT']);
