/** Why an event was rejected. Each reason is counted in `stats().rejections`. */
export type RejectReason =
  /** Not an object. */
  | 'invalid_event'
  /** tsSec/tsNsec missing, not integers or out of range. */
  | 'invalid_time'
  /** srcIp/dstIp not IPv4/IPv6 text. */
  | 'invalid_address'
  /** srcPort/dstPort not integers in 0-65535. */
  | 'invalid_port'
  /** protocol not an integer in 0-255. */
  | 'invalid_protocol'
  /** kind not flow_start, burst or flow_end. */
  | 'invalid_kind'
  /** bytes, packets or durationSec negative or not finite. */
  | 'invalid_size'
  /** Older than the pair's newest event by more than outOfOrderTolerance. */
  | 'too_late';

/** What happened to one event. `history_full` events were older than a full ring: dropped, counted as history evictions. */
export type IngestOutcome = 'accepted' | 'allowlisted' | 'history_full' | RejectReason;

/** One rejected event of a batch. */
export interface IngestIssue {
  /** Index in the batch. */
  index: number;
  reason: RejectReason;
  /** Field path, e.g. `dstPort`. */
  path: string;
  message: string;
}

/** Counts of one `ingestBatch` call. accepted + allowlisted + historyFull + rejected = batch length. */
export interface IngestResult {
  accepted: number;
  /** Dropped by the allowlist before scoring. */
  allowlisted: number;
  /** Older than everything in a full history ring. */
  historyFull: number;
  rejected: number;
  /** Rejections by reason (only reasons that occurred). */
  reasons: Partial<Record<RejectReason, number>>;
  /** The first rejections in detail (at most 20). */
  issues: IngestIssue[];
}
