import { pairKey, toBeaconItem, type StateDelta } from '@beacon/detector';
import { packHistory } from './history.js';

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
  /** Byte offsets of each pair's history in `blobs` (n + 1 entries). */
  offsets: Uint32Array;
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
  const offsets = new Uint32Array(n + 1);
  const parts = new Array<Buffer>(n);
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
    const blob = packHistory(p.times, p.sizes);
    parts[i] = blob;
    total += blob.byteLength;
    offsets[i + 1] = total;
  }
  const blobs = new Uint8Array(total);
  for (let i = 0; i < n; i++) blobs.set(parts[i]!, offsets[i]!);
  return {
    text: lines.join('\n'),
    nums,
    offsets,
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
