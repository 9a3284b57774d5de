import { pairKey, toBeaconItem, type StateDelta } from '@beacon/detector';
import { historyLayout, writeHistory } from './history.js';

/** Numbers per pair in {@link PackedDelta.nums}: dst_port, protocol, first_seen, last_seen, count, max_flow_sec, long_flows, failed (NaN: not known). */
export const PAIR_NUMS = 8;
/** Strings per pair in {@link PackedDelta.text}: pair_key, src_ip, dst_ip, server_name, dst_ips. */
export const PAIR_STRINGS = 5;

/**
 * A state delta as the writer thread takes it: pairs as a few flat arrays (transferred, not
 * copied), histories already packed into one buffer, beacons already serialised.
 */
export interface PackedDelta {
  /**
   * Every pair's strings, concatenated: pair_key, src_ip, dst_ip, server_name ('' for none) and
   * dst_ips (a JSON array, '' for none), in that order; `lengths` holds each one's length.
   * Lengths rather than separators: no character a string may hold can shift a field.
   */
  text: string;
  lengths: Uint32Array;
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
  const parts = new Array<string>(n * PAIR_STRINGS);
  const lengths = new Uint32Array(n * PAIR_STRINGS);
  const nums = new Float64Array(n * PAIR_NUMS);
  const offsets = new Uint32Array(n);
  const ends = new Uint32Array(n);
  let blobs = new Uint8Array(Math.max(1024, n * 256));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = delta.pairs[i]!;
    const k = i * PAIR_STRINGS;
    parts[k] = pairKey(p.srcIp, p.dstIp, p.dstPort, p.protocol);
    parts[k + 1] = p.srcIp;
    parts[k + 2] = p.dstIp;
    parts[k + 3] = p.serverName ?? '';
    parts[k + 4] = p.dstIps === undefined ? '' : JSON.stringify(p.dstIps);
    for (let j = 0; j < PAIR_STRINGS; j++) lengths[k + j] = (parts[k + j] as string).length;
    const o = i * PAIR_NUMS;
    nums[o] = p.dstPort;
    nums[o + 1] = p.protocol;
    nums[o + 2] = p.firstSeen;
    nums[o + 3] = p.lastSeen;
    nums[o + 4] = p.count;
    nums[o + 5] = p.maxFlowSec;
    nums[o + 6] = p.longFlows;
    nums[o + 7] = p.failed ?? Number.NaN;
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
    text: parts.join(''),
    lengths,
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
