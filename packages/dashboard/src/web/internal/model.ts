import type { BeaconItem } from '@beacon/detector';
import { DEFAULT_WEIGHTS } from '@beacon/scoring';
import type { ReportRow } from '../../reportData.js';

/** Severity bands, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type SeverityName = (typeof SEVERITIES)[number];

/** One row of the beacons table, from the live API or from a report. */
export interface Row {
  key: string;
  src: string;
  dst: string;
  port: number;
  proto: string;
  score: number;
  severity: string;
  isBeacon: boolean;
  benign: string | null;
  conns: number;
  interval: number | null;
  components: { cv: number; periodicity: number; jitter: number; size: number };
  weights: { cv: number; periodicity: number; jitter: number; size: number } | null;
  firstSeen: number;
  lastSeen: number;
  kind: string | null;
  direction: string | null;
  reason: string | null;
  summary: string;
}

/** A pair's events for the pair view. */
export interface PairEvents {
  times: number[];
  sizes: number[];
}

type Explanation = BeaconItem['explanation'];

/**
 * The part of the server's beacon item (`BeaconItem` of `@beacon/detector`, GET /api/v1/beacons)
 * the dashboard reads. The explanation is optional so that items of older servers still show.
 */
export type BeaconItemLike = Pick<BeaconItem, 'pair_key' | 'src_ip' | 'dst_ip' | 'dst_port' | 'protocol' | 'cv_score' | 'periodicity_score' | 'jitter_score' | 'size_score' | 'combined_score' | 'is_beacon' | 'confidence' | 'connection_count' | 'first_seen' | 'last_seen' | 'benign_label' | 'kind' | 'direction' | 'reason'> & {
  explanation?: Partial<Pick<Explanation, 'detected_interval_seconds' | 'summary'>> & { contributing_signals?: Array<Pick<Explanation['contributing_signals'][number], 'name' | 'weight'>> };
};

const seconds = (iso: string): number => Date.parse(iso) / 1000;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The pair key the detector uses: `src->dst:port/PROTO`, IPv6 destinations bracketed. */
export function keyOf(src: string, dst: string, port: number, proto: string): string {
  return `${src}->${dst.includes(':') ? `[${dst}]` : dst}:${port}/${proto}`;
}

function weightsOf(signals: Array<{ name: string; weight: number }> | undefined): Row['weights'] {
  if (!signals || signals.length === 0) return null;
  const w = { ...DEFAULT_WEIGHTS };
  for (const s of signals) if (s.name in w) w[s.name as keyof typeof w] = s.weight;
  return w;
}

/** A row from the live API's beacon item. */
export function fromBeaconItem(b: BeaconItemLike): Row {
  return {
    key: b.pair_key,
    src: b.src_ip,
    dst: b.dst_ip,
    port: b.dst_port,
    proto: b.protocol,
    score: b.combined_score,
    severity: b.confidence.toLowerCase(),
    isBeacon: b.is_beacon,
    benign: b.benign_label ?? null,
    conns: b.connection_count,
    interval: b.explanation?.detected_interval_seconds ?? null,
    components: { cv: b.cv_score, periodicity: b.periodicity_score, jitter: b.jitter_score, size: b.size_score },
    weights: weightsOf(b.explanation?.contributing_signals),
    firstSeen: seconds(b.first_seen),
    lastSeen: seconds(b.last_seen),
    kind: str(b.kind),
    direction: str(b.direction),
    reason: str(b.reason),
    summary: b.explanation?.summary ?? '',
  };
}

/** A row from an offline report (the `beacon analyze --json` item). */
export function fromReportRow(r: ReportRow): Row {
  return {
    key: r.pair_key ?? keyOf(r.src_ip, r.dst_ip, r.dst_port, r.protocol),
    src: r.src_ip,
    dst: r.dst_ip,
    port: r.dst_port,
    proto: r.protocol,
    score: r.score,
    severity: r.severity.toLowerCase(),
    isBeacon: r.is_beacon,
    benign: r.benign_label,
    conns: r.connection_count,
    interval: r.interval,
    components: { cv: r.cv_score, periodicity: r.periodicity_score, jitter: r.jitter_score, size: r.size_score },
    weights: weightsOf(r.explanation?.contributing_signals),
    firstSeen: seconds(r.first_seen),
    lastSeen: seconds(r.last_seen),
    kind: str(r.kind),
    direction: str(r.direction),
    reason: str(r.reason),
    summary: r.explanation?.summary ?? '',
  };
}

/**
 * The allowlist rule (`whitelist.pairs` entry) for a row: `src:dst:port`, IPv6 addresses
 * bracketed so the rule parses unambiguously.
 */
export function allowlistRule(row: Pick<Row, 'src' | 'dst' | 'port'>): string {
  const wrap = (ip: string): string => (ip.includes(':') ? `[${ip}]` : ip);
  return `${wrap(row.src)}:${wrap(row.dst)}:${row.port}`;
}
