import { pairKey, type StateDelta } from '@beacon/detector';

function mergeKeyed<T>(older: readonly T[], olderRemoved: readonly string[], newer: readonly T[], newerRemoved: readonly string[], keyOf: (x: T) => string): { set: T[]; removed: string[] } {
  const newerKeys = new Set(newer.map(keyOf));
  const gone = new Set(newerRemoved);
  const set = older.filter((x) => !newerKeys.has(keyOf(x)) && !gone.has(keyOf(x))).concat(newer);
  // The store applies removals before upserts: a key removed, then set again, is only set.
  const removed = [...new Set([...olderRemoved, ...newerRemoved])].filter((k) => !newerKeys.has(k));
  return { set, removed };
}

const keyOfPair = (p: StateDelta['pairs'][number]): string => pairKey(p.srcIp, p.dstIp, p.dstPort, p.protocol);

/**
 * One delta equivalent to applying `older` then `newer`: used when a save failed, so the
 * changes it carried are written with the next one instead of being lost.
 */
export function mergeDeltas(older: StateDelta, newer: StateDelta): StateDelta {
  const pairs = mergeKeyed(older.pairs, older.removedPairs, newer.pairs, newer.removedPairs, keyOfPair);
  const beacons = mergeKeyed(older.beacons, older.removedBeacons, newer.beacons, newer.removedBeacons, (d) => d.pairKey);
  const cooldowns = mergeKeyed(older.cooldowns, older.removedCooldowns, newer.cooldowns, newer.removedCooldowns, (c) => c.pairKey);
  return {
    exportedAt: newer.exportedAt,
    pairs: pairs.set,
    removedPairs: pairs.removed,
    beacons: beacons.set,
    removedBeacons: beacons.removed,
    cooldowns: cooldowns.set,
    removedCooldowns: cooldowns.removed,
    counters: { ...older.counters, ...newer.counters },
  };
}
