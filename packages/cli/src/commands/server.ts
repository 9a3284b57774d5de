import type { Command } from 'commander';
import { defaultConfig, loadConfig } from '@beacon/config';
import { clusterSettings } from '@beacon/cluster';
import { createControlPlane } from '@beacon/server';
import { runClusterShard } from './serverCluster.js';
import { numberOption } from '../internal/context.js';
import { openStore } from '../internal/openStore.js';
import { createLogger } from '../internal/logger.js';
import { VERSION } from '../version.js';

/** Registers `beacon server`: the control plane (HTTP API, detector, alerting, persistence). */
export function registerServer(program: Command): void {
  program
    .command('server')
    .description('run the control plane: telemetry intake, analysis loop, alerts, HTTP API, state kept in persistence.db_path')
    .option('-c, --config <file>', 'configuration file (the original keys; see config/config.yaml)')
    .option('--bind <address>', 'listen address (overrides control_plane.listen_address)')
    .option('--listen-port <port>', 'listen port (overrides control_plane.listen_port)')
    .option('--nats <url>', 'run as a cluster shard on this NATS JetStream server (overrides cluster.nats_url)')
    .option('--shard <I/N>', 'this shard, I of N, 1-based (overrides cluster.shard; default 1/1)')
    .action(async (opts: { config?: string; bind?: string; listenPort?: string; nats?: string; shard?: string }) => {
      const config = opts.config ? await loadConfig(opts.config) : defaultConfig();
      if (opts.bind) config.control_plane.listen_address = opts.bind;
      if (opts.listenPort !== undefined) config.control_plane.listen_port = numberOption('--listen-port', opts.listenPort, { min: 0, max: 65535, integer: true });
      const cluster = clusterSettings(config, { nats: opts.nats, shard: opts.shard });
      const logger = createLogger(config.logging, 'beacon-server');
      const store = openStore(config);
      if (store) logger.info({ db: store.path, origin: store.origin, flush_interval: config.persistence.flush_interval }, `persistence: ${store.path}`);
      else logger.info({}, 'persistence off (state kept in memory only)');
      if (cluster) return runClusterShard(config, cluster, store, logger, opts.config ?? '(defaults)');
      const cp = createControlPlane(config, { logger, ...(store ? { store } : {}) });
      try {
        await cp.ready;
      } catch (error) {
        await cp.close().catch(() => undefined);
        await store?.close();
        throw new Error(`cannot restore the saved state from ${store?.path ?? '(no file)'}: ${(error as Error).message}. Move the file away or set persistence.db_path to another file.`, { cause: error });
      }
      if (store?.lastLoad) logger.info({ ...store.lastLoad }, 'restored from the database');
      const server = await cp.listen();
      cp.start();
      logger.info({ version: VERSION, url: server.url, config: opts.config ?? '(defaults)' }, `Beacon control plane listening on ${server.url}`);
      // Print the address on stdout too, so scripts (and tests) can find a port picked with 0.
      process.stdout.write(`listening ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          logger.info({ signal }, 'shutting down');
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await cp.close();
      logger.info({}, 'stopped');
    });
}
