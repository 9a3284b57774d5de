import { BeaconError, errorGuard } from '@beacon/detector';

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
export class SourceError extends BeaconError<SourceErrorCode> {
  override readonly name = 'SourceError' as const;
}

/**
 * True when `err` is a {@link SourceError} (checks `name` and `code`, so it works across bundles).
 * @example
 * try { await openSource('x.bin'); } catch (e) { if (isSourceError(e)) console.log(e.code); }
 */
export const isSourceError: (err: unknown) => err is SourceError = errorGuard<SourceError>('SourceError', ['OPEN_FAILED', 'READ_FAILED', 'UNKNOWN_FORMAT', 'BAD_HEADER', 'INVALID_OPTION']);
