import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { ClusterError } from './clusterError.js';

/** What every member of one cluster must agree on, kept in the `beacon-<stream>` KV bucket. */
export interface ClusterLayout {
  stream: string;
  partitions: number;
}

/** A shard's registration, refreshed every few seconds (`beacon status` shows it). */
export interface ShardRecord {
  shard: string;
  url: string | null;
  partitions: number[];
  host: string;
  pid: number;
  started_at: string;
  updated_at: string;
}

/**
 * Opens the cluster's KV bucket and checks the layout: the first member records the stream's
 * partition count; a member configured with another count is refused (its partitioning
 * would put one host's pairs on two shards).
 * @throws {@link ClusterError} `LAYOUT_MISMATCH` naming both counts
 */
export async function openLayout(nc: NatsConnection, layout: ClusterLayout): Promise<KV> {
  const kv = await new Kvm(nc).create(`beacon-${layout.stream}`, { history: 1 });
  try {
    await kv.create('layout', JSON.stringify(layout));
  } catch {
    const entry = await kv.get('layout');
    const saved = entry?.json<ClusterLayout>();
    if (saved && saved.partitions !== layout.partitions)
      throw new ClusterError('LAYOUT_MISMATCH', `stream ${layout.stream} is partitioned ${saved.partitions} ways, this shard is configured with cluster.partitions ${layout.partitions}: use ${saved.partitions}`);
  }
  return kv;
}

/** Every registered shard (live or not: see `updated_at`). */
export async function listShards(kv: KV): Promise<ShardRecord[]> {
  const out: ShardRecord[] = [];
  for await (const key of await kv.keys('shard.*')) {
    const e = await kv.get(key);
    if (e && e.operation === 'PUT') out.push(e.json<ShardRecord>());
  }
  return out;
}

/** The partition count the cluster recorded, or `fallback` (recorded now) when it has none yet. */
export async function layoutPartitions(nc: NatsConnection, stream: string, fallback: number): Promise<number> {
  const kv = await new Kvm(nc).create(`beacon-${stream}`, { history: 1 });
  const saved = (await kv.get('layout'))?.json<ClusterLayout>();
  if (saved) return saved.partitions;
  await kv.create('layout', JSON.stringify({ stream, partitions: fallback })).catch(() => undefined);
  return ((await kv.get('layout'))?.json<ClusterLayout>() ?? { partitions: fallback }).partitions;
}
