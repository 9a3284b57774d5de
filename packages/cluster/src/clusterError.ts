import { BeaconError, errorGuard } from '@beacon/detector';

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

/**
 * The one error class of `@beacon/cluster`. Check it with {@link isClusterError} (by `name`
 * and `code`, so it works across copies of the package) rather than `instanceof`.
 * @example
 * throw new ClusterError('INVALID_OPTIONS', 'shard must be "I/N" (got "3")');
 */
export class ClusterError extends BeaconError<ClusterErrorCode> {
  override readonly name = 'ClusterError' as const;
}

/** True when `value` is a {@link ClusterError} (checked by `name` and `code`, not `instanceof`). */
export const isClusterError: (value: unknown) => value is ClusterError = errorGuard<ClusterError>('ClusterError', ['INVALID_OPTIONS', 'CONNECT_FAILED', 'LAYOUT_MISMATCH', 'UNAVAILABLE', 'INVALID_MESSAGE', 'CLOSED']);
