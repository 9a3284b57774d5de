/**
 * The base of every Beacon package's error class (`ScoringError`, `DetectorError`, `SourceError`,
 * `HuntError`, ...): a machine-readable `code` plus a message that names what was wrong.
 * Each package's class narrows `code` to its own union and sets its own `name`.
 * @typeParam C - the package's error codes.
 */
export class BeaconError<C extends string = string> extends Error {
  /** What went wrong, machine-readable, e.g. `'INVALID_INTERVAL'`. */
  readonly code: C;

  /**
   * @param code - what went wrong.
   * @param message - names the input and field, e.g. `intervals[7] is NaN`.
   * @param options - optional `cause`.
   */
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * Makes the type guard of one error class: true for a value whose `name` is `name` and whose
 * `code` is a string (one of `codes` when given). It checks name and code, not `instanceof`, so
 * it works across bundles and duplicated module copies.
 * @example
 * export const isHuntError = errorGuard<HuntError>('HuntError', ['INVALID_OPTION', 'FINISHED']);
 */
export function errorGuard<E extends Error & { readonly code: string }>(
  name: E['name'],
  codes?: readonly E['code'][],
): (value: unknown) => value is E {
  const known = codes === undefined ? undefined : new Set<string>(codes);
  return (value: unknown): value is E => {
    if (typeof value !== 'object' || value === null) return false;
    const { name: n, code } = value as { name?: unknown; code?: unknown };
    return n === name && typeof code === 'string' && (known === undefined || known.has(code));
  };
}
