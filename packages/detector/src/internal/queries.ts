import type { Detection } from '../detection.js';
import type { DetectorStats } from '../detectorStats.js';
import type { BeaconQuery, ConnectionQuery, LongConnection, LongConnectionQuery, PairDetail, PairQuery, PairSummary } from '../queries.js';
import type { Core } from './core.js';
import type { PairState } from './pairState.js';
import { DIRECTIONS, directionOf } from './direction.js';
import { sizesOf, timesOf } from './pairState.js';

function limitOf(v: number | undefined, def: number): number {
  return v === undefined ? def : Math.max(0, Math.floor(v));
}

function summary(p: PairState, core: Core): PairSummary {
  const first = Number.isFinite(p.firstSeen) ? p.firstSeen : 0;
  const last = Number.isFinite(p.lastSeen) ? p.lastSeen : first;
  return {
    pairKey: p.key,
    srcIp: p.srcIp,
    dstIp: p.dstIp,
    dstPort: p.dstPort,
    protocol: p.protocol,
    direction: DIRECTIONS[directionOf(p, core.internal)] ?? 'external',
    connectionCount: p.count,
    durationSeconds: last - first,
    firstSeen: first,
    lastSeen: last,
    historySize: p.len,
  };
}

/** Known beacons, highest score first. */
export function listBeacons(core: Core, q: BeaconQuery = {}): Detection[] {
  const min = q.minScore ?? 0;
  const slab = core.beacons;
  const hits: Array<{ p: PairState; score: number }> = [];
  for (const p of core.table.map.values()) {
    if (p.beaconRow < 0 || (q.includeBenign === false && p.benign !== null)) continue;
    const score = slab.score(p.beaconRow);
    if (score >= min) hits.push({ p, score });
  }
  hits.sort((a, b) => b.score - a.score);
  // records are rebuilt only for the beacons returned
  return hits.slice(0, limitOf(q.limit, 50)).map((h) => slab.read(h.p.beaconRow, h.p));
}

/** One pair by key: summary, the newest `limit` events of its history, its beacon record. */
export function pairDetail(core: Core, key: string, q: PairQuery = {}): PairDetail | undefined {
  const p = core.table.map.get(key);
  if (p === undefined) return undefined;
  const cap = core.cfg.maxHistory;
  const keep = limitOf(q.limit, p.len);
  const times = timesOf(p, cap);
  const sizes = sizesOf(p, cap);
  const from = Math.max(0, times.length - keep);
  return {
    ...summary(p, core),
    times: times.slice(from),
    sizes: sizes.slice(from),
    detection: p.beaconRow >= 0 ? core.beacons.read(p.beaconRow, p) : null,
  };
}

/** Tracked pairs, most connections first. */
export function listConnections(core: Core, q: ConnectionQuery = {}): PairSummary[] {
  const out: PairSummary[] = [];
  for (const p of core.table.map.values()) {
    if (q.srcIp !== undefined && p.srcIp !== q.srcIp) continue;
    if (q.dstIp !== undefined && p.dstIp !== q.dstIp) continue;
    out.push(summary(p, core));
  }
  out.sort((a, b) => b.connectionCount - a.connectionCount || a.pairKey.localeCompare(b.pairKey));
  return out.slice(0, limitOf(q.limit, 100));
}

/** Pairs whose longest flow (closed, or open up to now) lasted at least minDuration, longest first. */
export function listLongConnections(core: Core, q: LongConnectionQuery = {}): LongConnection[] {
  const min = q.minDuration ?? core.cfg.minDuration;
  const now = core.now();
  const longest = new Map<PairState, number>();
  core.openFlows.forEach((pair, start) => {
    const d = Math.max(0, now - start);
    if (d > (longest.get(pair) ?? 0)) longest.set(pair, d);
  });
  const out: LongConnection[] = [];
  for (const p of core.table.map.values()) {
    const d = Math.max(p.maxFlowSec, longest.get(p) ?? 0);
    if (d < min || d <= 0) continue;
    out.push({ ...summary(p, core), longestFlowSeconds: d, openFlows: p.openFlows, longClosedFlows: p.longFlows });
  }
  out.sort((a, b) => b.longestFlowSeconds - a.longestFlowSeconds);
  return out.slice(0, limitOf(q.limit, 50));
}

/** The status/statistics counters. */
export function statsOf(core: Core): DetectorStats {
  const src = new Set<string>();
  const dst = new Set<string>();
  const ports = new Set<number>();
  let total = 0;
  let known = 0;
  for (const p of core.table.map.values()) {
    if (p.beaconRow >= 0 && p.benign === null) known++;
    src.add(p.srcIp);
    dst.add(p.dstIp);
    ports.add(p.dstPort);
    total += p.count;
  }
  const c = core.counters;
  const cfg = core.cfg;
  const now = core.now();
  let active = 0;
  if (core.cooldownCount > 0) for (const p of core.table.map.values()) if (p.cdRank >= 0 && now - p.cdAt < cfg.alertCooldown) active++;
  return {
    storage: {
      pair_count: core.table.size,
      total_connections: total,
      unique_src_ips: src.size,
      unique_dst_ips: dst.size,
      unique_dst_ports: ports.size,
      records_added: c.recordsAdded,
      records_expired: c.recordsExpired,
      batches_received: c.batches,
      retention_seconds: cfg.dataRetention,
      open_flows: core.openFlows.size,
      history_bytes: core.table.slab.bytes,
    },
    analyzer: {
      running: core.running,
      analysis_interval: cfg.analysisInterval,
      total_runs: c.totalRuns,
      total_beacons_detected: c.totalBeacons,
      total_alerts_generated: c.totalAlerts,
      total_suppressed: c.totalSuppressed,
      current_known_beacons: known,
      active_cooldowns: active,
      whitelist_rules: {
        source_ips: cfg.allowlist.sourceIps.length,
        destination_ips: cfg.allowlist.destinationIps.length,
        ports: cfg.allowlist.destinationPorts.length,
        pairs: cfg.allowlist.pairs.length,
      },
    },
    evictions: {
      pairs: c.pairEvictions,
      history: c.historyEvictions[0] as number,
      open_flows: c.openFlowEvictions,
      expired_pairs: c.expiredPairs,
    },
    rejections: { ...c.rejections },
    allowlisted: c.allowlisted,
  };
}
