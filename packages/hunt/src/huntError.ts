import { BeaconError, errorGuard } from '@beacon/detector';

/** Machine-readable reason for a {@link HuntError}. */
export type HuntErrorCode =
  /** An option is out of range (e.g. `workers: -1`, an unknown `format`). */
  | 'INVALID_OPTION'
  /** `push` was called after `finish`: a hunt is used once. */
  | 'FINISHED'
  /** An event file (YAML/JSON replay input) cannot be read as events. */
  | 'INVALID_EVENT_FILE'
  /** A ground-truth file cannot be read as a list of beacon pairs; the message names the path. */
  | 'INVALID_TRUTH'
  /** An evaluation has no ground truth: no truth file and no labelled input. */
  | 'NO_TRUTH'
  /** A parse worker thread failed. */
  | 'WORKER_FAILED';

/**
 * The error of `@beacon/hunt`. Damage inside a readable input (a garbled line, a bad event) is
 * never thrown: it is counted and reported. Errors from `@beacon/sources` (a missing file, an
 * unknown format) pass through as they are.
 */
export class HuntError extends BeaconError<HuntErrorCode> {
  override readonly name = 'HuntError' as const;
}

/**
 * True when `err` is a {@link HuntError} (checks `name` and `code`, so it works across bundles).
 * @example
 * try { await evaluate(files, { threshold: 0.7 }); } catch (e) { if (isHuntError(e)) console.log(e.code); }
 */
export const isHuntError: (err: unknown) => err is HuntError = errorGuard<HuntError>('HuntError', ['INVALID_OPTION', 'FINISHED', 'INVALID_EVENT_FILE', 'INVALID_TRUTH', 'NO_TRUTH', 'WORKER_FAILED']);
