/**
 * What went wrong in the cluster layer, as a stable string a caller can switch on.
 *
 * - `INVALID_OPTIONS`: a setting is malformed (a shard that is not `I/N`, partitions out of range).
 * - `CONNECT_FAILED`: the NATS server could not be reached or refused the credentials.
 * - `LAYOUT_MISMATCH`: this shard's partitions or shard count differ from the cluster's recorded layout.
 * - `UNAVAILABLE`: JetStream did not acknowledge in time (disconnected, or the stream is away).
 * - `INVALID_MESSAGE`: a stream message is not an event batch this version reads.
 * - `CLOSED`: the publisher or shard was closed.
 */
export type ClusterErrorCode = 'INVALID_OPTIONS' | 'CONNECT_FAILED' | 'LAYOUT_MISMATCH' | 'UNAVAILABLE' | 'INVALID_MESSAGE' | 'CLOSED';

const CODES: ReadonlySet<string> = new Set<ClusterErrorCode>(['INVALID_OPTIONS', 'CONNECT_FAILED', 'LAYOUT_MISMATCH', 'UNAVAILABLE', 'INVALID_MESSAGE', 'CLOSED']);

/**
 * The one error class of `@beacon/cluster`. Check it with {@link isClusterError} (by `name`
 * and `code`, so it works across copies of the package) rather than `instanceof`.
 * @example
 * throw new ClusterError('INVALID_OPTIONS', 'shard must be "I/N" (got "3")');
 */
export class ClusterError extends Error {
  override readonly name = 'ClusterError' as const;
  /** Stable reason code. */
  readonly code: ClusterErrorCode;

  constructor(code: ClusterErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `value` is a {@link ClusterError} (checked by `name` and `code`, not `instanceof`). */
export function isClusterError(value: unknown): value is ClusterError {
  if (typeof value !== 'object' || value === null) return false;
  const { name, code } = value as { name?: unknown; code?: unknown };
  return name === 'ClusterError' && typeof code === 'string' && CODES.has(code);
}
