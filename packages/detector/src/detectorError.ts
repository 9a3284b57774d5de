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

const CODES: ReadonlySet<string> = new Set<DetectorErrorCode>([
  'INVALID_CONFIG',
  'INVALID_EVENT',
  'INVALID_STATE',
  'ANALYSIS_FAILED',
  'INVALID_ARGUMENT',
]);

/** The one error class of `@beacon/detector`. Messages name the offending field path or index. */
export class DetectorError extends Error {
  override readonly name = 'DetectorError' as const;
  /** What was wrong, e.g. `'INVALID_CONFIG'`. */
  readonly code: DetectorErrorCode;

  /**
   * @param code - what was wrong.
   * @param message - names the field path or index, e.g. `minConnections: expected number`.
   * @param options - optional `cause`.
   */
  constructor(code: DetectorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * True when `err` is a {@link DetectorError} (checks `name` and `code`, so it works across bundles).
 * @example
 * try { detector.updateConfig({ minConnections: -1 }); } catch (e) { if (isDetectorError(e)) console.log(e.code); }
 */
export function isDetectorError(err: unknown): err is DetectorError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'DetectorError' && typeof e.code === 'string' && CODES.has(e.code);
}
