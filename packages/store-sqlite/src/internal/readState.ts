import type { CooldownSnapshot, Detection, DetectorState, PairSnapshot } from '@beacon/detector';
import type { Statements } from './statements.js';
import { unpackHistory } from './history.js';

/** Rows read back at start-up, and those skipped as unreadable (counted, never fatal). */
export interface LoadReport {
  pairs: number;
  beacons: number;
  cooldowns: number;
  counters: number;
  alerts: number;
  /** Rows that could not be decoded, by table. */
  skipped: { pairs: number; beacons: number; cooldowns: number; alerts: number };
}

/** A `pairs` row in raw mode: src_ip, dst_ip, dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows, history. */
type PairRow = [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown];

const SEVERITIES = new Set(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function pairOf(r: PairRow): PairSnapshot | null {
  const [srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, history] = r;
  if (typeof srcIp !== 'string' || typeof dstIp !== 'string' || !(history instanceof Uint8Array)) return null;
  if (!isNum(dstPort) || !isNum(protocol) || !isNum(firstSeen) || !isNum(lastSeen) || !isNum(count) || !isNum(maxFlowSec) || !isNum(longFlows)) return null;
  try {
    const { times, sizes } = unpackHistory(history);
    return { srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, times, sizes };
  } catch {
    return null;
  }
}

/** Reads the whole detector state back (pairs least recently seen first, as exportState lists them). */
export function readState(st: Statements, report: LoadReport): DetectorState | null {
  const pairs: PairSnapshot[] = [];
  for (const row of st.allPairs.all() as PairRow[]) {
    const p = pairOf(row);
    if (p) pairs.push(p);
    else report.skipped.pairs++;
  }
  const beacons: Detection[] = [];
  for (const row of st.allBeaconStates.iterate() as Iterable<{ pair_key: string; detection: string }>) {
    try {
      const d = JSON.parse(row.detection) as Detection;
      if (d?.pairKey === row.pair_key && isNum(d.result?.score)) beacons.push(d);
      else report.skipped.beacons++;
    } catch {
      report.skipped.beacons++;
    }
  }
  const cooldowns: CooldownSnapshot[] = [];
  for (const row of st.allCooldowns.iterate() as Iterable<{ pair_key: string; at: unknown; score: unknown; severity: unknown }>) {
    if (isNum(row.at) && isNum(row.score) && typeof row.severity === 'string' && SEVERITIES.has(row.severity)) {
      cooldowns.push({ pairKey: row.pair_key, at: row.at, score: row.score, severity: row.severity as CooldownSnapshot['severity'] });
    } else report.skipped.cooldowns++;
  }
  const counters: Record<string, number> = {};
  for (const row of st.allCounters.iterate() as Iterable<{ name: string; value: unknown }>) if (isNum(row.value)) counters[row.name] = row.value;
  Object.assign(report, { pairs: pairs.length, beacons: beacons.length, cooldowns: cooldowns.length, counters: Object.keys(counters).length });
  if (pairs.length === 0 && beacons.length === 0 && cooldowns.length === 0 && Object.keys(counters).length === 0) return null;
  const exportedAt = Number(st.getMeta.get('exported_at') ?? 0);
  return { version: 1, exportedAt: Number.isFinite(exportedAt) ? exportedAt : 0, pairs, beacons, cooldowns, counters };
}
