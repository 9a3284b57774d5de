/** Machine-readable reason for a {@link ScoringError}. */
export type ScoringErrorCode = 'INVALID_INTERVAL' | 'INVALID_SIZE' | 'INVALID_WEIGHTS';

/** Thrown by {@link scorePair} and the signal functions for malformed input (never for too few samples). */
export class ScoringError extends Error {
  override readonly name = 'ScoringError' as const;
  /** What was wrong, e.g. `'INVALID_INTERVAL'`. */
  readonly code: ScoringErrorCode;

  /**
   * @param code - what was wrong.
   * @param message - names the input and index, e.g. `intervals[7] is NaN`.
   * @param options - optional `cause`.
   */
  constructor(code: ScoringErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const CODES: ReadonlySet<string> = new Set<ScoringErrorCode>(['INVALID_INTERVAL', 'INVALID_SIZE', 'INVALID_WEIGHTS']);

/**
 * True when `err` is a {@link ScoringError} (checks `name` and `code`, so it works across bundles).
 * @example
 * try { scorePair([1, NaN, 1], []); } catch (e) { if (isScoringError(e)) console.log(e.code); }
 */
export function isScoringError(err: unknown): err is ScoringError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'ScoringError' && typeof e.code === 'string' && CODES.has(e.code);
}
