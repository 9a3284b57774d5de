import { protocolName, type Detection } from '@beacon/detector';

/**
 * One scored pair in `beacon analyze --json`. A stable contract for scripts: fields are only
 * ever added, never renamed or removed.
 */
export interface AnalyzeJsonItem {
  src_ip: string;
  dst_ip: string;
  dst_port: number;
  /** TCP, UDP, or the protocol number as text. */
  protocol: string;
  /** Combined score, 0 to 1. */
  score: number;
  /** CRITICAL, HIGH, MEDIUM or LOW. */
  severity: string;
  /** Score at or above the alert threshold and the period within the configured bounds. */
  is_beacon: boolean;
  /** outbound, internal, inbound or external: which side is ours. */
  direction: string;
  /** beacon, reconnect (a loop of failed attempts) or periodic (benign baseline). */
  kind: string;
  /** Why the pair is not a finding (e.g. `inbound`, `below min_beacon_interval`), null when it is one. */
  reason: string | null;
  /** Label of the benign baseline that matched (e.g. NTP), else null. */
  benign_label: string | null;
  /** Connections (flow starts and activity bursts) seen for the pair. */
  connection_count: number;
  /** Estimated period in seconds (null when none was found). */
  interval: number | null;
  cv_score: number;
  periodicity_score: number;
  jitter_score: number;
  size_score: number;
  /** ISO 8601 UTC. */
  first_seen: string;
  last_seen: string;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
const iso = (s: number): string => new Date(s * 1000).toISOString();

/** The JSON item of one detection. */
export function toAnalyzeJson(d: Detection): AnalyzeJsonItem {
  const c = d.result.components;
  return {
    src_ip: d.srcIp,
    dst_ip: d.dstIp,
    dst_port: d.dstPort,
    protocol: protocolName(d.protocol),
    score: round(d.result.score),
    severity: d.result.severity,
    is_beacon: d.isBeacon,
    direction: d.direction,
    kind: d.kind,
    reason: d.reason,
    benign_label: d.benignLabel,
    connection_count: d.connectionCount,
    interval: d.result.periodSeconds === null ? null : round(d.result.periodSeconds),
    cv_score: round(c.cv),
    periodicity_score: round(c.periodicity),
    jitter_score: round(c.jitter),
    size_score: round(c.size),
    first_seen: iso(d.firstSeen),
    last_seen: iso(d.lastSeen),
  };
}
