import { pairKey, toBeaconItem, type StateDelta } from '@beacon/detector';
import { historyLayout, writeHistory } from './history.js';

/** Numbers per pair in {@link PackedDelta.nums}: dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows. */
export const PAIR_NUMS = 7;

/**
 * A state delta as the writer thread takes it: pairs as a few flat arrays (transferred, not
 * copied), histories already packed into one buffer, beacons already serialised.
 */
export interface PackedDelta {
  /** `pair_key\tsrc_ip\tdst_ip` per pair, one per line. */
  text: string;
  nums: Float64Array;
  /** Pair i's history is `blobs[offsets[i], ends[i])` (starts 8-byte aligned). */
  offsets: Uint32Array;
  ends: Uint32Array;
  blobs: Uint8Array;
  removedPairs: string[];
  /** pair_key, beacon item JSON, detection JSON. */
  beacons: Array<[string, string, string]>;
  removedBeacons: string[];
  /** pair_key, at, score, severity. */
  cooldowns: Array<[string, number, number, string]>;
  removedCooldowns: string[];
  counters: Array<[string, number]>;
  exportedAt: number;
}

/** Packs a delta for the writer thread (the only part of a save that runs on the caller's thread). */
export function packDelta(delta: StateDelta): PackedDelta {
  const n = delta.pairs.length;
  const lines = new Array<string>(n);
  const nums = new Float64Array(n * PAIR_NUMS);
  const offsets = new Uint32Array(n);
  const ends = new Uint32Array(n);
  let blobs = new Uint8Array(Math.max(1024, n * 256));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = delta.pairs[i]!;
    lines[i] = `${pairKey(p.srcIp, p.dstIp, p.dstPort, p.protocol)}\t${p.srcIp}\t${p.dstIp}`;
    const o = i * PAIR_NUMS;
    nums[o] = p.dstPort;
    nums[o + 1] = p.protocol;
    nums[o + 2] = p.firstSeen;
    nums[o + 3] = p.lastSeen;
    nums[o + 4] = p.count;
    nums[o + 5] = p.maxFlowSec;
    nums[o + 6] = p.longFlows;
    // Written in place, each at an 8-byte boundary: no buffer per pair.
    const layout = historyLayout(p.times, p.sizes);
    const at = (total + 7) & ~7;
    if (at + layout.bytes > blobs.length) {
      const grown = new Uint8Array(Math.max(blobs.length * 2, at + layout.bytes));
      grown.set(blobs.subarray(0, total));
      blobs = grown;
    }
    writeHistory(blobs, at, p.times, p.sizes, layout);
    offsets[i] = at;
    total = at + layout.bytes;
    ends[i] = total;
  }
  return {
    text: lines.join('\n'),
    nums,
    offsets,
    ends,
    blobs,
    removedPairs: delta.removedPairs,
    beacons: delta.beacons.map((d) => [d.pairKey, JSON.stringify(toBeaconItem(d)), JSON.stringify(d)]),
    removedBeacons: delta.removedBeacons,
    cooldowns: delta.cooldowns.map((c) => [c.pairKey, c.at, c.score, c.severity]),
    removedCooldowns: delta.removedCooldowns,
    counters: Object.entries(delta.counters).filter(([, v]) => Number.isFinite(v)),
    exportedAt: delta.exportedAt,
  };
}
