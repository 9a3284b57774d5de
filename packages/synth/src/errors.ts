/** Machine-readable reason for a {@link SynthError}. */
export type SynthErrorCode = 'INVALID_OPTION' | 'UNKNOWN_PROFILE';

/** Thrown for invalid generator options (the message names the option). */
export class SynthError extends Error {
  override readonly name = 'SynthError' as const;
  /** What was wrong. */
  readonly code: SynthErrorCode;

  /**
   * @param code - what was wrong.
   * @param message - names the offending option and value.
   */
  constructor(code: SynthErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** True when `err` is a {@link SynthError} (checks `name` and `code`, not `instanceof`). */
export function isSynthError(err: unknown): err is SynthError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'SynthError' && (e.code === 'INVALID_OPTION' || e.code === 'UNKNOWN_PROFILE');
}
