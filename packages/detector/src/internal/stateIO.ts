import { z } from 'zod';
import type { Detection } from '../detection.js';
import { DetectorError } from '../detectorError.js';
import type { DetectorState, PairSnapshot } from '../detectorState.js';
import { pairKey } from '../event.js';
import { benignLabel } from './allowlist.js';
import type { Core } from './core.js';
import { place, sizesOf, timesOf } from './pairState.js';

const COUNTERS = ['recordsAdded', 'recordsExpired', 'batches', 'pairEvictions', 'openFlowEvictions', 'expiredPairs', 'allowlisted', 'historyFull', 'totalRuns', 'totalBeacons', 'totalAlerts', 'totalSuppressed'] as const;

/** Snapshot of pairs, known beacons, cooldowns and counters (plain JSON). */
export function exportState(core: Core): DetectorState {
  const cap = core.cfg.maxHistory;
  const pairs: PairSnapshot[] = [];
  // Tail first (least recently seen), so an import re-creates the same LRU order.
  for (let p = core.table.tail; p !== null; p = p.prev) {
    pairs.push({
      srcIp: p.srcIp,
      dstIp: p.dstIp,
      dstPort: p.dstPort,
      protocol: p.protocol,
      firstSeen: Number.isFinite(p.firstSeen) ? p.firstSeen : 0,
      lastSeen: Number.isFinite(p.lastSeen) ? p.lastSeen : 0,
      count: p.count,
      maxFlowSec: p.maxFlowSec,
      longFlows: p.longFlows,
      times: timesOf(p, cap),
      sizes: sizesOf(p, cap),
    });
  }
  const counters: Record<string, number> = {};
  for (const k of COUNTERS) counters[k] = core.counters[k];
  counters.historyEvictions = core.counters.historyEvictions[0] as number;
  for (const [k, v] of Object.entries(core.counters.rejections)) counters[`rejections.${k}`] = v;
  return {
    version: 1,
    exportedAt: core.now(),
    pairs,
    beacons: structuredClone([...core.beacons.values()]),
    cooldowns: [...core.cooldowns.values()].map((c) => ({ ...c })),
    counters,
  };
}

const finite = z.number().finite();
const pairSchema = z.object({
  srcIp: z.union([z.ipv4(), z.ipv6()]),
  dstIp: z.union([z.ipv4(), z.ipv6()]),
  dstPort: z.number().int().min(0).max(65535),
  protocol: z.number().int().min(0).max(255),
  firstSeen: finite,
  lastSeen: finite,
  count: z.number().int().nonnegative(),
  maxFlowSec: finite.nonnegative(),
  longFlows: z.number().int().nonnegative(),
  times: z.array(finite.nonnegative()),
  sizes: z.array(finite.nonnegative()),
}).refine((p) => p.times.length === p.sizes.length, { message: 'times and sizes differ in length', path: ['sizes'] });
const stateSchema = z.object({
  version: z.literal(1),
  exportedAt: finite,
  pairs: z.array(pairSchema),
  beacons: z.array(z.object({ pairKey: z.string(), result: z.object({ score: finite }).loose() }).loose()),
  cooldowns: z.array(z.object({ pairKey: z.string(), at: finite, score: finite, severity: z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']) })),
  counters: z.record(z.string(), finite),
});

/**
 * Replaces the detector's state with a snapshot (validated). Pairs beyond `maxPairs` (least
 * recently seen first) are counted as evictions; history beyond `maxHistory` keeps the newest.
 * @throws {@link DetectorError} `INVALID_STATE` naming the offending path.
 */
export function importState(core: Core, input: unknown): void {
  const r = stateSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new DetectorError('INVALID_STATE', `invalid detector state: ${i ? `${i.path.join('.')}: ${i.message}` : 'unknown'}`, { cause: r.error });
  }
  const s = r.data;
  for (const p of [...core.table.map.values()]) core.table.remove(p);
  core.beacons.clear();
  core.cooldowns.clear();
  const c = core.counters;
  for (const k of COUNTERS) c[k] = s.counters[k] ?? 0;
  c.historyEvictions[0] = s.counters.historyEvictions ?? 0;
  for (const k of Object.keys(c.rejections) as Array<keyof typeof c.rejections>) c.rejections[k] = s.counters[`rejections.${k}`] ?? 0;
  const cfg = core.cfg;
  const skipPairs = Math.max(0, s.pairs.length - cfg.maxPairs);
  c.pairEvictions += skipPairs;
  for (const snap of s.pairs.slice(skipPairs)) {
    const key = pairKey(snap.srcIp, snap.dstIp, snap.dstPort, snap.protocol);
    if (core.table.map.has(key) || core.allowlist.matches(snap.srcIp, snap.dstIp, snap.dstPort)) continue;
    const p = core.table.create(key, snap.srcIp, snap.dstIp, snap.dstPort, snap.protocol, benignLabel(cfg.benignBaseline, snap.dstPort, snap.protocol));
    for (let i = 0; i < snap.times.length; i++) {
      place(p, Math.round((snap.times[i] as number) * 1000), snap.sizes[i] as number, cfg.maxHistory, cfg.outOfOrderTolerance * 1000, c.historyEvictions);
    }
    p.firstSeen = snap.firstSeen;
    p.lastSeen = snap.lastSeen;
    p.count = snap.count;
    p.maxFlowSec = snap.maxFlowSec;
    p.longFlows = snap.longFlows;
  }
  for (const d of s.beacons) if (core.table.map.has(d.pairKey)) core.beacons.set(d.pairKey, d as unknown as Detection);
  for (const cd of s.cooldowns) if (core.table.map.has(cd.pairKey)) core.cooldowns.set(cd.pairKey, cd);
}
