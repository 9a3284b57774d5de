// Writing the detector's state out: whole snapshots (`exportState`) and the changes since the
// previous delta (`exportDelta`). Validation of a snapshot read back is in stateValidate.ts, and
// loading it into a detector in stateLoad.ts.
import type { Detection } from '../detection.js';
import type { CooldownSnapshot, DetectorState, PairSnapshot } from '../detectorState.js';
import type { StateDelta } from '../detectorStore.js';
import { severityOfRank } from './beaconRecord.js';
import type { Core } from './core.js';
import type { PairState } from './pairState.js';
import { sizesOf, timesOf } from './pairState.js';

/** The plain counters a snapshot carries (besides `historyEvictions` and `rejections.*`). */
export const STATE_COUNTERS = ['recordsAdded', 'recordsExpired', 'batches', 'pairEvictions', 'openFlowEvictions', 'expiredPairs', 'allowlisted', 'historyFull', 'totalRuns', 'totalBeacons', 'totalAlerts', 'totalSuppressed'] as const;

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
  for (const k of STATE_COUNTERS) counters[k] = core.counters[k];
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
