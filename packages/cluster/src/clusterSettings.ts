import type { BeaconConfig } from '@beacon/config';
import { ClusterError } from './clusterError.js';
import { parseShard, type ShardSpec } from './shardSpec.js';

/** Everything a cluster member needs to know, resolved from the `cluster:` section and flags. */
export interface ClusterSettings {
  /** NATS server URL(s), comma-separated. */
  natsUrl: string;
  /** Stream name. @default 'BEACON_EVENTS' */
  stream: string;
  /** Partitions. @default 16 */
  partitions: number;
  /** This shard. @default 1/1 */
  shard: ShardSpec;
  /** NATS credentials file. */
  credentials: string | null;
  user: string | null;
  password: string | null;
  token: string | null;
  tlsCa: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
  /** Milliseconds to wait for other shards' answers. @default 2000 */
  queryTimeoutMs: number;
  /** Seconds events stay in the stream. @default 86400 */
  maxAgeSeconds: number;
  /** Stream replicas. @default 1 */
  replicas: number;
}

/** Flags that override the file (`--nats`, `--shard`). */
export interface ClusterOverrides {
  nats?: string | undefined;
  shard?: string | undefined;
}

/**
 * The cluster settings of a configuration, flags winning over the file; null when there is
 * no `cluster.nats_url` (nor `--nats`): the control plane is then one process, as before.
 * @throws {@link ClusterError} `INVALID_OPTIONS` for a malformed shard
 */
export function clusterSettings(config: BeaconConfig, overrides: ClusterOverrides = {}): ClusterSettings | null {
  const c = config.cluster;
  const natsUrl = overrides.nats ?? c.nats_url;
  if (!natsUrl) {
    if (overrides.shard !== undefined) throw new ClusterError('INVALID_OPTIONS', '--shard needs a NATS server: pass --nats URL or set cluster.nats_url');
    return null;
  }
  const shardText = overrides.shard ?? c.shard;
  const shard = shardText ? parseShard(shardText) : { index: 1, count: 1 };
  if (shard.count > c.partitions) throw new ClusterError('INVALID_OPTIONS', `shard ${shard.index}/${shard.count}: more shards than cluster.partitions (${c.partitions}); a shard with no partition would hold nothing`);
  return {
    natsUrl,
    stream: c.stream,
    partitions: c.partitions,
    shard,
    credentials: c.credentials,
    user: c.user,
    password: c.password,
    token: c.token,
    tlsCa: c.tls_ca,
    tlsCert: c.tls_cert,
    tlsKey: c.tls_key,
    queryTimeoutMs: c.query_timeout * 1000,
    maxAgeSeconds: c.max_age,
    replicas: c.replicas,
  };
}
