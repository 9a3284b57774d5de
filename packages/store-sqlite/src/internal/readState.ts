import type { CooldownSnapshot, Detection, DetectorState, PairHistory, PairSnapshot } from '@beacon/detector';
import { HistoryColumns, unpackHistory } from './history.js';
import type { Statements } from './statements.js';

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

/** A `pairs` row in raw mode: src_ip, dst_ip, dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows, history, server_name, dst_ips, failed. */
type PairRow = [unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown];

const SEVERITIES = new Set(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
/** Epoch seconds a stored pair's times may take (the detector refuses events beyond 1e11, year 5138). */
const MAX_EPOCH_SEC = 1e11;
/** Longest flow a stored pair may claim: ten years (the telemetry decoder's bound). */
const MAX_FLOW_SEC = 315_360_000;
const isTime = (x: unknown): x is number => isNum(x) && Math.abs(x) <= MAX_EPOCH_SEC;

/** The `times` and `sizes` of stored pairs, by pair, once read. */
const plainHistories = new WeakMap<object, { times: number[]; sizes: number[] }>();

/** A stored pair's history as plain arrays, computed on first use (and kept, so edits stick). */
function plainOf(p: { history?: PairHistory | undefined }): { times: number[]; sizes: number[] } {
  let out = plainHistories.get(p);
  if (out === undefined) {
    const h = p.history;
    if (h === undefined) out = { times: [], sizes: [] }; // a copy made without its arrays
    else {
      const { baseMs, times, sizes, start = 0, length = times.length - start } = h;
      const t = new Array<number>(length);
      for (let i = 0; i < length; i++) t[i] = (baseMs + (times[start + i] as number)) / 1000;
      out = { times: t, sizes: Array.from(sizes.subarray(start, start + length)) };
    }
    plainHistories.set(p, out);
  }
  return out;
}

/**
 * A pair read back from the store. Its history stays in the typed form `history` (which
 * `Detector.importState` copies as is); `times` and `sizes` are computed from it when first read.
 * They are accessors, not own properties: JSON.stringify gives the plain snapshot (see `toJSON`),
 * a spread or structuredClone keeps `history` only. Assigning `times` or `sizes` drops `history`,
 * so that the edited arrays are what gets imported.
 */
class StoredPair implements PairSnapshot {
  constructor(
    public srcIp: string,
    public dstIp: string,
    public dstPort: number,
    public protocol: number,
    public firstSeen: number,
    public lastSeen: number,
    public count: number,
    public maxFlowSec: number,
    public longFlows: number,
    public history: PairHistory | undefined,
  ) {}

  serverName?: string;
  dstIps?: string[];
  failed?: number;

  get times(): number[] {
    return plainOf(this).times;
  }

  set times(v: number[]) {
    plainOf(this).times = v;
    this.history = undefined;
  }

  get sizes(): number[] {
    return plainOf(this).sizes;
  }

  set sizes(v: number[]) {
    plainOf(this).sizes = v;
    this.history = undefined;
  }

  /** The plain JSON snapshot. */
  toJSON(): PairSnapshot {
    const { srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, times, sizes } = this;
    const out: PairSnapshot = { srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, times, sizes };
    if (this.serverName !== undefined) out.serverName = this.serverName;
    if (this.dstIps !== undefined) out.dstIps = this.dstIps;
    if (this.failed !== undefined) out.failed = this.failed;
    return out;
  }
}

/** Most addresses a stored name-keyed pair may list (the detector's own cap). */
const MAX_DST_IPS = 64;

/** A stored `dst_ips` (a JSON array of address strings), or null when it is not one. */
function dstIpsOf(v: string): string[] | null {
  let a: unknown;
  try {
    a = JSON.parse(v);
  } catch {
    return null;
  }
  if (!Array.isArray(a) || a.length > MAX_DST_IPS || !a.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 45)) return null;
  return a as string[];
}

/** Adds a row's server_name and dst_ips to its pair; false when either is unreadable. */
function withNames(p: PairSnapshot, name: unknown, ips: unknown): boolean {
  if (name !== null && name !== undefined) {
    if (typeof name !== 'string' || name.length === 0 || name.length > 255) return false;
    p.serverName = name;
  }
  if (ips !== null && ips !== undefined) {
    const list = typeof ips === 'string' ? dstIpsOf(ips) : null;
    if (list === null) return false;
    p.dstIps = list;
  }
  return true;
}

function pairOf(r: PairRow, columns: HistoryColumns): PairSnapshot | null {
  const [srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, blob, serverName, dstIps, failed] = r;
  if (typeof srcIp !== 'string' || typeof dstIp !== 'string' || !(blob instanceof Uint8Array)) return null;
  if (!isNum(dstPort) || !isNum(protocol) || !isNum(count) || !isNum(longFlows)) return null;
  // Bounded, so that one pair written before the bounds (or by hand) cannot break every listing.
  if (!isTime(firstSeen) || !isTime(lastSeen) || !isNum(maxFlowSec) || maxFlowSec < 0 || maxFlowSec > MAX_FLOW_SEC) return null;
  try {
    const history = columns.decode(blob);
    let p: PairSnapshot;
    if (history !== null) p = new StoredPair(srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, history);
    else {
      // Times that are not whole, ordered milliseconds (or sizes that are not whole 32-bit numbers): plain arrays.
      const { times, sizes } = unpackHistory(blob);
      p = { srcIp, dstIp, dstPort, protocol, firstSeen, lastSeen, count, maxFlowSec, longFlows, times, sizes };
    }
    // failed attempts: NULL in rows written before the column (taken as 0 by the detector)
    if (failed !== null && failed !== undefined) {
      if (!isNum(failed) || failed < 0 || !Number.isInteger(failed)) return null;
      p.failed = failed;
    }
    return withNames(p, serverName, dstIps) ? p : null;
  } catch {
    return null;
  }
}

/** Reads the whole detector state back (pairs least recently seen first, as exportState lists them). */
export function readState(st: Statements, report: LoadReport): DetectorState | null {
  const pairs: PairSnapshot[] = [];
  const columns = new HistoryColumns();
  for (const row of st.allPairs.iterate() as Iterable<PairRow>) {
    const p = pairOf(row, columns);
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
