/** Subject prefix of the event stream: partition `p` is `beacon.events.<p>`. */
export const EVENT_SUBJECT_PREFIX = 'beacon.events.';

/**
 * The partition of a source address: FNV-1a (32 bit) over the canonical address text
 * (dotted IPv4, RFC 5952 IPv6, as every Beacon source writes it), modulo `partitions`. All of
 * one host's pairs land in one partition, so one shard sees the host's whole history. Any
 * publisher, in any language, computes the same partition with these few lines.
 * @example
 * partitionOf('10.0.0.5', 16); // 0..15, the same everywhere
 */
export function partitionOf(srcIp: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < srcIp.length; i++) {
    h ^= srcIp.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/** The subject of partition `p`: `beacon.events.<p>`. */
export function partitionSubject(partition: number): string {
  return `${EVENT_SUBJECT_PREFIX}${partition}`;
}
