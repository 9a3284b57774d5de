/** Machine-readable reason for a {@link SourceError}. */
export type SourceErrorCode =
  /** The file could not be opened (missing, unreadable). */
  | 'OPEN_FAILED'
  /** Reading failed part-way through for a reason other than damaged content (I/O error). */
  | 'READ_FAILED'
  /** `openSource` could not recognise the content as Zeek or pcap/pcapng. */
  | 'UNKNOWN_FORMAT'
  /** A pcap global header or the first pcapng block is not valid: nothing can be read. */
  | 'BAD_HEADER'
  /** An option is out of range (e.g. a negative `idleGapSec`). */
  | 'INVALID_OPTION';

/**
 * Thrown when a source cannot be read at all. Damage inside a readable file (a garbled line,
 * a truncated record) is never thrown: it is reported through `onProblem` and counted in
 * {@link SourceStats}.
 */
export class SourceError extends Error {
  override readonly name = 'SourceError' as const;
  /** What went wrong, e.g. `'BAD_HEADER'`. */
  readonly code: SourceErrorCode;

  /**
   * @param code - what went wrong.
   * @param message - names the input, e.g. `capture.pcap: unknown magic 0x12345678`.
   * @param options - optional `cause`.
   */
  constructor(code: SourceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const CODES: ReadonlySet<string> = new Set<SourceErrorCode>([
  'OPEN_FAILED',
  'READ_FAILED',
  'UNKNOWN_FORMAT',
  'BAD_HEADER',
  'INVALID_OPTION',
]);

/**
 * True when `err` is a {@link SourceError} (checks `name` and `code`, so it works across bundles).
 * @example
 * try { await openSource('x.bin'); } catch (e) { if (isSourceError(e)) console.log(e.code); }
 */
export function isSourceError(err: unknown): err is SourceError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'SourceError' && typeof e.code === 'string' && CODES.has(e.code);
}
