/**
 * One row of the offline report: the fields the dashboard reads of a beacon row
 * (`@beacon/hunt`'s `BeaconRow`, what `beacon analyze --json` prints; see docs/hunting.md), so a
 * `BeaconRow` can be passed as it is. Fields an analysis does not produce may be absent; the
 * dashboard shows a dash for them.
 */
export interface ReportRow {
  /** `src->dst:port/PROTO`; derived from the address fields when absent. */
  pair_key?: string;
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  /** TCP, UDP, or the protocol number as text. */
  protocol: string;
  /** Combined score, 0 to 1. */
  score: number;
  /** CRITICAL, HIGH, MEDIUM or LOW (any case). */
  severity: string;
  is_beacon: boolean;
  benign_label: string | null;
  connection_count: number;
  /** Estimated period, seconds. */
  interval: number | null;
  cv_score: number;
  periodicity_score: number;
  jitter_score: number;
  size_score: number;
  /** ISO 8601 UTC. */
  first_seen: string;
  last_seen: string;
  /** What kind of traffic the pair is (e.g. connection, burst, reconnect), when the analysis says. */
  kind?: string | null;
  /** outbound, inbound, internal or external, when the analysis says. */
  direction?: string | null;
  /** Why the pair was flagged or labelled, when the analysis says. */
  reason?: string | null;
  /** The scorer's explanation (the beacon item's): its sentence and each signal's weight. */
  explanation?: {
    summary?: string;
    contributing_signals?: Array<{ name: string; weight: number }>;
  };
}

/** A pair's recent events: times (epoch seconds) and sizes (bytes), oldest first. */
export interface ReportHistory {
  times: number[];
  sizes: number[];
}

/** Everything the offline report embeds. */
export interface ReportData {
  /** Shown as the page title. */
  title: string;
  /** ISO 8601 UTC. */
  generated_at: string;
  /** The files the hunt read (names as given on the command line). */
  files: string[];
  rows: ReportRow[];
  /** Histories by pair key (the row's `pair_key`). */
  histories: Record<string, ReportHistory>;
}
