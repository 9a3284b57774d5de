import { BeaconError, errorGuard } from '@beacon/detector';

/** What went wrong with a store. */
export type StoreErrorCode =
  /** The file exists and is not an SQLite database. */
  | 'NOT_SQLITE'
  /** An SQLite database of another application (neither ours nor the original system's). */
  | 'FOREIGN_DATABASE'
  /** SQLite reports the file damaged (integrity check failed, malformed pages). */
  | 'CORRUPT'
  /** Written by a newer version of this package (schema version above ours). */
  | 'NEWER_SCHEMA'
  /** The file could not be opened or created (permissions, missing directory, locked). */
  | 'OPEN_FAILED'
  /** Another process (or another open store) holds the file; the message names it. */
  | 'LOCKED'
  /** A read or a write failed (disk full, I/O error). */
  | 'IO_FAILED'
  /** The store was used after `close()`. */
  | 'CLOSED'
  /** An option is out of range. */
  | 'INVALID_OPTIONS';

/** Raised by the SQLite store; the message names the file and what to do about it. */
export class StoreError extends BeaconError<StoreErrorCode> {
  override readonly name = 'StoreError' as const;
  /** The database file concerned. */
  readonly path: string;

  constructor(code: StoreErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.path = path;
  }
}

/** True when `error` is a {@link StoreError} (checked by name and code, so it works across copies). */
export const isStoreError: (error: unknown) => error is StoreError = errorGuard<StoreError>('StoreError');
