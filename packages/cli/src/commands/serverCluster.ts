import type { BeaconConfig } from '@beacon/config';
import { createClusterShard, type ClusterSettings } from '@beacon/cluster';
import type { SqliteStore } from '@beacon/store-sqlite';
import type { Logger } from 'pino';
import { VERSION } from '../version.js';

/**
 * `beacon server` as one shard of a cluster (`--nats`/`cluster.nats_url`): restores its
 * state, consumes its partitions from the stream, serves the cluster-aware API, and on
 * SIGINT/SIGTERM saves its last checkpoint before leaving.
 */
export async function runClusterShard(config: BeaconConfig, settings: ClusterSettings, store: SqliteStore | null, logger: Logger, configName: string): Promise<void> {
  const shard = await createClusterShard(config, settings, { logger, ...(store ? { store } : {}) });
  try {
    await shard.start();
  } catch (error) {
    await shard.close().catch(() => undefined);
    throw new Error(`shard ${settings.shard.index}/${settings.shard.count} could not start: ${(error as Error).message}${store ? ` (state in ${store.path})` : ''}`, { cause: error });
  }
  if (store?.lastLoad) logger.info({ ...store.lastLoad }, 'restored from the database');
  const server = await shard.listen();
  const label = `${settings.shard.index}/${settings.shard.count}`;
  logger.info({ version: VERSION, url: server.url, config: configName, shard: label, nats: settings.natsUrl, stream: settings.stream }, `Beacon control plane shard ${label} listening on ${server.url}`);
  process.stdout.write(`listening ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await shard.close();
  logger.info({}, 'stopped');
}
