// Loading a validated snapshot into a detector (`importState`), replacing its state.
import type { PairHistory, PairSnapshot } from '../detectorState.js';
import { pairKey } from '../event.js';
import { rankOf } from './beaconRecord.js';
import type { Core } from './core.js';
import { parseIp } from './ip.js';
import type { PairState } from './pairState.js';
import { place } from './pairState.js';
import { STATE_COUNTERS } from './stateExport.js';
import { U32_MAX, validateState } from './stateValidate.js';

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
 * Copies a typed history (validated by `typedHistory` in stateValidate.ts) into an empty pair's ring, like
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
  for (let i = start; i < end; i++) place(p, 0, h.baseMs + (t[i] as number), s[i] as number, cap, tolMs, evicted);
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
  const s = validateState(input, trusted);
  for (const p of [...core.table.map.values()]) core.table.remove(p);
  core.openFlows.clear();
  core.beacons.clear();
  core.beaconCount = 0;
  core.cooldownCount = 0;
  const c = core.counters;
  for (const k of STATE_COUNTERS) c[k] = s.counters[k] ?? 0;
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
      for (let i = 0; i < times.length; i++) place(p, 0, Math.round((times[i] as number) * 1000), sizes[i] as number, cfg.maxHistory, tolMs, c.historyEvictions);
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
