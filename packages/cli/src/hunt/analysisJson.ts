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
  /**
   * TLS SNI / HTTP Host / DNS name: the name a name-keyed row is keyed by (its `dst_ip` is then
   * the newest of `dst_ips`), or the last name an address row carried. Absent without names.
   */
  server_name?: string;
  /** A name-keyed row's destination addresses: a beacon rotating over them is one row. */
  dst_ips?: string[];
  /** On an address row that carried a name: the `src->name:port/PROTO` key of the name-keyed row covering it. */
  name_pair_key?: string;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
const iso = (s: number): string => new Date(s * 1000).toISOString();

/** The JSON item of one detection. */
export function toAnalyzeJson(d: Detection): AnalyzeJsonItem {
  const c = d.result.components;
  const item: AnalyzeJsonItem = {
    src_ip: d.srcIp,
    dst_ip: d.dstIp,
    dst_port: d.dstPort,
    protocol: protocolName(d.protocol),
    score: round(d.result.score),
    severity: d.result.severity,
    is_beacon: d.isBeacon,
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
  if (d.serverName !== undefined) item.server_name = d.serverName;
  if (d.dstIps !== undefined) item.dst_ips = d.dstIps;
  if (d.namePairKey !== undefined) item.name_pair_key = d.namePairKey;
  return item;
}

/**
 * The rows a hunt reports as findings: an address row whose name-keyed row is itself a beacon
 * is covered by it (it points to it through `name_pair_key`) and is not a finding of its own.
 */
export function coveredByName(scored: readonly Detection[]): Set<Detection> {
  const beaconKeys = new Set<string>();
  for (const d of scored) if (d.isBeacon && d.dstIps !== undefined) beaconKeys.add(d.pairKey);
  const covered = new Set<Detection>();
  if (beaconKeys.size === 0) return covered;
  for (const d of scored) if (d.namePairKey !== undefined && beaconKeys.has(d.namePairKey)) covered.add(d);
  return covered;
}
