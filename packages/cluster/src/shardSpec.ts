import { ClusterError } from './clusterError.js';

/** Shard `index` (1-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/**
 * Parses `I/N` (1-based: `1/3`, `2/3`, `3/3`).
 * @throws {@link ClusterError} `INVALID_OPTIONS` naming the value
 */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || index > count || count > 1024) throw new ClusterError('INVALID_OPTIONS', `shard must be "I/N" with 1 <= I <= N <= 1024, e.g. "1/3" (got "${text}")`);
  return { index, count };
}

/**
 * The partitions shard `I/N` owns: every `p` with `p mod N = I - 1`. With 16 partitions and 3
 * shards, shard 1/3 owns 0, 3, 6, 9, 12, 15.
 */
export function ownedPartitions(shard: ShardSpec, partitions: number): number[] {
  const out: number[] = [];
  for (let p = shard.index - 1; p < partitions; p += shard.count) out.push(p);
  return out;
}
