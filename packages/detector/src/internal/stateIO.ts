import type { Detection } from '../detection.js';
import { DetectorError } from '../detectorError.js';
import type { CooldownSnapshot, DetectorState, PairHistory, PairSnapshot } from '../detectorState.js';
import type { StateDelta } from '../detectorStore.js';
import { pairKey } from '../event.js';
import { rankOf, severityOfRank } from './beaconRecord.js';
import type { Core } from './core.js';
import { parseIp } from './ip.js';
import { isServerName, isServerNameText, MAX_NAME_ADDRESSES } from './serverNames.js';
import type { PairState } from './pairState.js';
import { place, sizesOf, timesOf } from './pairState.js';

const COUNTERS = ['recordsAdded', 'recordsExpired', 'batches', 'pairEvictions', 'openFlowEvictions', 'expiredPairs', 'allowlisted', 'historyFull', 'totalRuns', 'totalBeacons', 'totalAlerts', 'totalSuppressed'] as const;

function snapshotOf(p: PairState, cap: number): PairSnapshot {
  const snap: PairSnapshot = {
    srcIp: p.srcIp,
    dstIp: p.dstIp,
    dstPort: p.dstPort,
    protocol: p.protocol,
    firstSeen: Number.isFinite(p.firstSeen) ? p.firstSeen : 0,
    lastSeen: Number.isFinite(p.lastSeen) ? p.lastSeen : 0,
    count: p.count,
    maxFlowSec: p.maxFlowSec,
    longFlows: p.longFlows,
    failed: p.failed,
    times: timesOf(p, cap),
    sizes: sizesOf(p, cap),
  };
  if (p.serverName !== undefined) snap.serverName = p.serverName;
  if (p.named) snap.dstIps = p.dstIps === undefined ? [] : [...p.dstIps];
  return snap;
}

const cooldownOf = (p: PairState): CooldownSnapshot => ({ pairKey: p.key, at: p.cdAt, score: p.cdScore, severity: severityOfRank(p.cdRank) });

function countersOf(core: Core): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const k of COUNTERS) counters[k] = core.counters[k];
  counters.historyEvictions = core.counters.historyEvictions[0] as number;
  for (const [k, v] of Object.entries(core.counters.rejections)) counters[`rejections.${k}`] = v;
  return counters;
}

/** Pairs least recently seen first (so an import re-creates the same recency order). */
function byRecency(core: Core): PairState[] {
  return [...core.table.map.values()].sort((a, b) => a.stamp - b.stamp);
}

/** Snapshot of pairs, known beacons, cooldowns and counters (plain JSON). */
export function exportState(core: Core): DetectorState {
  const cap = core.cfg.maxHistory;
  const pairs: PairSnapshot[] = [];
  const beacons: Detection[] = [];
  const cooldowns: CooldownSnapshot[] = [];
  for (const p of byRecency(core)) {
    pairs.push(snapshotOf(p, cap));
    if (p.beaconRow >= 0) beacons.push(core.beacons.read(p.beaconRow, p));
    if (p.cdRank >= 0) cooldowns.push(cooldownOf(p));
  }
  return { version: 1, exportedAt: core.now(), pairs, beacons, cooldowns, counters: countersOf(core) };
}

/**
 * Everything changed since the previous delta (or since creation or the last import): pairs
 * created or changed (whole snapshots, least recently seen first), keys removed, beacons and
 * cooldowns set or removed, and every counter. The removed and changed sets are disjoint, so a
 * store may apply them in any order.
 */
export function exportDelta(core: Core): StateDelta {
  const cap = core.cfg.maxHistory;
  const changed: PairState[] = [];
  const beacons: Detection[] = [];
  const cooldowns: CooldownSnapshot[] = [];
  for (const p of core.table.map.values()) {
    if (p.persist) {
      changed.push(p);
      p.persist = false;
    }
    if (p.beaconDirty) {
      if (p.beaconRow >= 0) beacons.push(core.beacons.read(p.beaconRow, p));
      p.beaconDirty = false;
    }
    if (p.cooldownDirty) {
      if (p.cdRank >= 0) cooldowns.push(cooldownOf(p));
      p.cooldownDirty = false;
    }
  }
  changed.sort((a, b) => a.stamp - b.stamp);
  const delta: StateDelta = {
    exportedAt: core.now(),
    pairs: changed.map((p) => snapshotOf(p, cap)),
    removedPairs: [...core.removedPairs],
    beacons,
    removedBeacons: [...core.removedBeacons],
    cooldowns,
    removedCooldowns: [...core.removedCooldowns],
    counters: countersOf(core),
  };
  core.removedPairs.clear();
  core.removedBeacons.clear();
  core.removedCooldowns.clear();
  core.tracking = true;
  return delta;
}

const U32_MAX = 0xffffffff;
/** Largest `PairHistory.baseMs`: base plus any Uint32 offset stays an exact integer. */
const MAX_BASE_MS = Number.MAX_SAFE_INTEGER - U32_MAX;

function invalid(path: string, message: string): never {
  throw new DetectorError('INVALID_STATE', `invalid detector state: ${path}: ${message}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Paths are built only on failure: `at(i, field)` names a pair's field (i < 0: a top-level key).
const at = (i: number, field: string): string => (i < 0 ? field : `pairs.${i}.${field}`);

function finite(v: unknown, path: string, i = -1): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(at(i, path), `expected a finite number, got ${String(v)}`);
  return v;
}

function nonNeg(v: unknown, path: string, i = -1): number {
  if (typeof v !== 'number' || !(v >= 0) || v === Infinity) invalid(at(i, path), `expected a finite non-negative number, got ${String(v)}`);
  return v;
}

function int(v: unknown, path: string, max: number, i = -1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) invalid(at(i, path), `expected an integer in 0-${max}, got ${String(v)}`);
  return v;
}

function samples(v: unknown, path: string, i: number): number[] {
  if (!Array.isArray(v)) invalid(at(i, path), 'expected an array');
  for (let j = 0; j < v.length; j++) {
    const x = v[j];
    // one comparison chain per number: no per-element schema objects
    if (typeof x !== 'number' || !(x >= 0) || x === Infinity) invalid(`${at(i, path)}.${j}`, `expected a finite non-negative number, got ${String(x)}`);
  }
  return v as number[];
}

const kindOf = (v: unknown): string => (v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v);

/**
 * Checks a typed {@link PairHistory}: the arrays' types and that `start` and `length` lie within
 * both (every Uint32 value is a valid relative time and size, so the values need no check).
 */
function typedHistory(h: unknown, i: number): void {
  if (!isObj(h)) invalid(at(i, 'history'), `expected an object, got ${kindOf(h)}`);
  const { times, sizes } = h;
  if (!(times instanceof Uint32Array)) invalid(at(i, 'history.times'), `expected a Uint32Array, got ${kindOf(times)}`);
  if (!(sizes instanceof Uint32Array)) invalid(at(i, 'history.sizes'), `expected a Uint32Array, got ${kindOf(sizes)}`);
  int(h.baseMs, 'history.baseMs', MAX_BASE_MS, i);
  const start = h.start === undefined ? 0 : int(h.start, 'history.start', times.length, i);
  const length = h.length === undefined ? times.length - start : int(h.length, 'history.length', times.length - start, i);
  if (sizes.length < start + length) invalid(at(i, 'history.sizes'), `holds ${sizes.length} entries, fewer than start + length (${start + length})`);
}

/**
 * Checks a snapshot's structure by hand (a zod schema per number made importing 100,000 pairs
 * take seconds). Errors name the path of the first bad field, e.g. `pairs.12.times.3`.
 */
function validate(input: unknown, trusted: boolean): DetectorState {
  if (!isObj(input)) invalid('', 'expected an object');
  if (input.version !== 1) invalid('version', `expected 1, got ${String(input.version)}`);
  finite(input.exportedAt, 'exportedAt');
  const { pairs, beacons, cooldowns, counters } = input;
  if (!Array.isArray(pairs)) invalid('pairs', 'expected an array');
  const goodIps = new Set<string>();
  const ip = (v: unknown, path: string, i: number): void => {
    if (typeof v === 'string' && (trusted || goodIps.has(v))) return;
    if (typeof v !== 'string' || parseIp(v) === null) invalid(at(i, path), `expected IPv4 or IPv6 text, got ${JSON.stringify(v)}`);
    if (goodIps.size < 100_000) goodIps.add(v);
  };
  for (let i = 0; i < pairs.length; i++) {
    const p: unknown = pairs[i];
    if (!isObj(p)) invalid(`pairs.${i}`, 'expected an object');
    ip(p.srcIp, 'srcIp', i);
    if (!(typeof p.dstIp === 'string' && isServerName(p.dstIp))) ip(p.dstIp, 'dstIp', i);
    int(p.dstPort, 'dstPort', 65535, i);
    int(p.protocol, 'protocol', 255, i);
    finite(p.firstSeen, 'firstSeen', i);
    finite(p.lastSeen, 'lastSeen', i);
    int(p.count, 'count', Number.MAX_SAFE_INTEGER, i);
    nonNeg(p.maxFlowSec, 'maxFlowSec', i);
    int(p.longFlows, 'longFlows', Number.MAX_SAFE_INTEGER, i);
    if (p.failed !== undefined) int(p.failed, 'failed', Number.MAX_SAFE_INTEGER, i);
    if (p.serverName !== undefined && !isServerNameText(p.serverName)) invalid(at(i, 'serverName'), `expected a server name of 1-255 letters, digits, '-', '.', '_', ':' or '*', got ${JSON.stringify(p.serverName).slice(0, 80)}`);
    if (p.dstIps !== undefined) {
      if (!Array.isArray(p.dstIps) || p.dstIps.length > MAX_NAME_ADDRESSES) invalid(at(i, 'dstIps'), `expected an array of at most ${MAX_NAME_ADDRESSES} addresses`);
      for (let j = 0; j < p.dstIps.length; j++) ip(p.dstIps[j], `dstIps.${j}`, i);
    }
    if (p.history !== undefined) typedHistory(p.history, i);
    else {
      const times = samples(p.times, 'times', i);
      if (samples(p.sizes, 'sizes', i).length !== times.length) invalid(at(i, 'sizes'), 'times and sizes differ in length');
    }
  }
  if (!Array.isArray(beacons)) invalid('beacons', 'expected an array');
  for (let i = 0; i < beacons.length; i++) {
    const b: unknown = beacons[i];
    if (!isObj(b)) invalid(`beacons.${i}`, 'expected an object');
    if (typeof b.pairKey !== 'string') invalid(`beacons.${i}.pairKey`, 'expected a string');
    if (!isObj(b.result)) invalid(`beacons.${i}.result`, 'expected an object');
    if (typeof b.result.score !== 'number' || !Number.isFinite(b.result.score)) finite(b.result.score, `beacons.${i}.result.score`);
  }
  if (!Array.isArray(cooldowns)) invalid('cooldowns', 'expected an array');
  for (let i = 0; i < cooldowns.length; i++) {
    const c: unknown = cooldowns[i];
    if (!isObj(c)) invalid(`cooldowns.${i}`, 'expected an object');
    if (typeof c.pairKey !== 'string') invalid(`cooldowns.${i}.pairKey`, 'expected a string');
    if (!Number.isFinite(c.at)) finite(c.at, `cooldowns.${i}.at`);
    if (!Number.isFinite(c.score)) finite(c.score, `cooldowns.${i}.score`);
    if (c.severity !== 'CRITICAL' && c.severity !== 'HIGH' && c.severity !== 'MEDIUM' && c.severity !== 'LOW') invalid(`cooldowns.${i}.severity`, 'expected CRITICAL, HIGH, MEDIUM or LOW');
  }
  if (!isObj(counters)) invalid('counters', 'expected an object');
  for (const [k, v] of Object.entries(counters)) finite(v, `counters.${k}`);
  return input as unknown as DetectorState;
}

/**
 * Copies an exported history (oldest first) straight into an empty pair's ring, keeping the
 * newest `cap` entries (the rest counted as history evictions), with the base `place` would
 * choose. Returns false, having written nothing, when the times are not in order or span more
 * than the ring's relative range: `place` then takes them one at a time.
 */
function bulkLoad(p: PairState, times: readonly number[], sizes: readonly number[], cap: number, tolMs: number, evicted: Float64Array): boolean {
  const n = times.length;
  if (n === 0) return true;
  const skip = n > cap ? n - cap : 0;
  const firstMs = Math.round((times[skip] as number) * 1000);
  const base = firstMs > tolMs ? firstMs - tolMs : 0;
  const ts = p.ts;
  const sz = p.sz;
  const off = p.off - skip;
  // one pass: copy while checking the order (p.len stays 0 until done, so a bail-out leaves an empty ring)
  let prev = firstMs;
  for (let i = skip; i < n; i++) {
    const ms = Math.round((times[i] as number) * 1000);
    if (ms < prev || ms - base > U32_MAX) return false;
    prev = ms;
    ts[off + i] = ms - base;
    const size = sizes[i] as number;
    sz[off + i] = size > U32_MAX ? U32_MAX : size;
  }
  p.baseMs = base;
  p.head = 0;
  p.len = n - skip;
  if (skip > 0) evicted[0] = (evicted[0] as number) + skip;
  return true;
}

/**
 * Copies a typed history (validated: see {@link typedHistory}) into an empty pair's ring, like
 * {@link bulkLoad}: the newest `cap` entries, with the base `place` would choose, one add per
 * entry. Out-of-order times, or a span beyond the ring's relative range, go through `place`
 * one at a time.
 */
function loadTyped(p: PairState, h: PairHistory, cap: number, tolMs: number, evicted: Float64Array): void {
  const t = h.times;
  const s = h.sizes;
  const start = h.start ?? 0;
  const n = h.length ?? t.length - start;
  if (n === 0) return;
  const end = start + n;
  const skip = n > cap ? n - cap : 0;
  const first = t[start + skip] as number;
  const firstMs = h.baseMs + first;
  const base = firstMs > tolMs ? firstMs - tolMs : 0;
  const shift = h.baseMs - base;
  // Ordered times end with the largest: one range check up front.
  if ((t[end - 1] as number) + shift <= U32_MAX) {
    const ts = p.ts;
    const sz = p.sz;
    const off = p.off - start - skip;
    let prev = first;
    let i = start + skip;
    // p.len stays 0 until done, so stopping early leaves an empty ring
    for (; i < end; i++) {
      const v = t[i] as number;
      if (v < prev) break;
      prev = v;
      ts[off + i] = v + shift;
      sz[off + i] = s[i] as number;
    }
    if (i === end) {
      p.baseMs = base;
      p.head = 0;
      p.len = n - skip;
      if (skip > 0) evicted[0] = (evicted[0] as number) + skip;
      return;
    }
  }
  for (let i = start; i < end; i++) place(p, h.baseMs + (t[i] as number), s[i] as number, cap, tolMs, evicted);
}

/**
 * Replaces the detector's state with a snapshot (validated). Pairs beyond `maxPairs` (least
 * recently seen first) are counted as evictions; history beyond `maxHistory` keeps the newest.
 * Afterwards nothing is pending for the next state delta (the store already holds this state).
 * A pair's typed `history`, when present, is read instead of its `times` and `sizes`.
 * `trusted`: the snapshot came from this detector's own store, so address syntax is not re-parsed
 * (the structure and every number are still checked).
 * @throws {@link DetectorError} `INVALID_STATE` naming the offending path.
 */
export function importState(core: Core, input: unknown, trusted = false): void {
  const s = validate(input, trusted);
  for (const p of [...core.table.map.values()]) core.table.remove(p);
  core.openFlows.clear();
  core.beacons.clear();
  core.beaconCount = 0;
  core.cooldownCount = 0;
  const c = core.counters;
  for (const k of COUNTERS) c[k] = s.counters[k] ?? 0;
  c.historyEvictions[0] = s.counters.historyEvictions ?? 0;
  for (const k of Object.keys(c.rejections) as Array<keyof typeof c.rejections>) c.rejections[k] = s.counters[`rejections.${k}`] ?? 0;
  const cfg = core.cfg;
  const skipPairs = Math.max(0, s.pairs.length - cfg.maxPairs);
  c.pairEvictions += skipPairs;
  const tolMs = cfg.outOfOrderTolerance * 1000;
  for (let j = skipPairs; j < s.pairs.length; j++) {
    const snap = s.pairs[j] as PairSnapshot;
    const key = pairKey(snap.srcIp, snap.dstIp, snap.dstPort, snap.protocol);
    if (core.table.map.has(key) || core.allowlist.matches(snap.srcIp, snap.dstIp, snap.dstPort)) continue;
    const p = core.table.create(key, snap.srcIp, snap.dstIp, snap.dstPort, snap.protocol, core.baseline.labelOf(snap.dstIp, snap.dstPort, snap.protocol));
    if (snap.history !== undefined) loadTyped(p, snap.history, cfg.maxHistory, tolMs, c.historyEvictions);
    else if (!bulkLoad(p, snap.times, snap.sizes, cfg.maxHistory, tolMs, c.historyEvictions)) {
      const { times, sizes } = snap;
      for (let i = 0; i < times.length; i++) place(p, Math.round((times[i] as number) * 1000), sizes[i] as number, cfg.maxHistory, tolMs, c.historyEvictions);
    }
    p.firstSeen = snap.firstSeen;
    p.lastSeen = snap.lastSeen;
    p.count = snap.count;
    p.maxFlowSec = snap.maxFlowSec;
    p.longFlows = snap.longFlows;
    p.failed = snap.failed ?? 0;
    p.persist = false;
    if (parseIp(snap.dstIp) === null) {
      // A name-keyed pair, with the addresses it has listed (older snapshots have none: new events list them again).
      p.named = true;
      p.serverName = snap.dstIp;
      p.dstIps = snap.dstIps === undefined ? [] : [...snap.dstIps];
    } else if (snap.serverName !== undefined) p.serverName = snap.serverName;
  }
  core.relinkNames();
  for (const d of s.beacons) {
    const p = core.table.map.get(d.pairKey);
    if (p === undefined || p.beaconRow >= 0) continue;
    p.beaconRow = core.beacons.alloc();
    core.beacons.write(p.beaconRow, d);
    core.beaconCount++;
  }
  for (const cd of s.cooldowns) {
    const p = core.table.map.get(cd.pairKey);
    if (p === undefined) continue;
    if (p.cdRank < 0) core.cooldownCount++;
    p.cdAt = cd.at;
    p.cdScore = cd.score;
    p.cdRank = rankOf(cd.severity);
  }
  core.removedPairs.clear();
  core.removedBeacons.clear();
  core.removedCooldowns.clear();
  core.tracking = true;
}
