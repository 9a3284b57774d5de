import type { RejectReason } from './ingestResult.js';

/**
 * The counters the original's `/status` and `/statistics` expose (same snake_case names in
 * `storage` and `analyzer`), plus eviction, rejection and allowlist counters.
 */
export interface DetectorStats {
  storage: {
    pair_count: number;
    /** Sum of every tracked pair's connection count. */
    total_connections: number;
    unique_src_ips: number;
    unique_dst_ips: number;
    unique_dst_ports: number;
    /** Events accepted into history since start. */
    records_added: number;
    /** History entries dropped by retention cleanup. */
    records_expired: number;
    batches_received: number;
    retention_seconds: number;
    /** Flows currently open. */
    open_flows: number;
    /** Typed-array bytes held by history (off the JS heap). */
    history_bytes: number;
  };
  analyzer: {
    running: boolean;
    analysis_interval: number;
    total_runs: number;
    /** Beacon detections over all runs; pairs a benign baseline matched are not counted. */
    total_beacons_detected: number;
    total_alerts_generated: number;
    total_suppressed: number;
    /** Known beacons now, benign-baseline pairs (NTP, multicast) not counted. */
    current_known_beacons: number;
    active_cooldowns: number;
    whitelist_rules: { source_ips: number; destination_ips: number; ports: number; pairs: number };
  };
  evictions: {
    /** Pairs evicted by the maxPairs cap. */
    pairs: number;
    /** History entries overwritten or dropped by the maxHistory cap. */
    history: number;
    /** Open flows evicted by the maxOpenFlows cap. */
    open_flows: number;
    /** Pairs expired by retention cleanup. */
    expired_pairs: number;
  };
  /** Rejected events by reason. */
  rejections: Record<RejectReason, number>;
  /** Events dropped by the allowlist. */
  allowlisted: number;
}
