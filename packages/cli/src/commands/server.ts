import type { Command } from 'commander';
import { defaultConfig, loadConfig, type BeaconConfig } from '@beacon/config';
import { clusterSettings } from '@beacon/cluster';
import { createControlPlane } from '@beacon/server';
import { runClusterShard } from './serverCluster.js';
import { numberOption } from '../internal/context.js';
import { openStore } from '@beacon/agent';
import { createLogger } from '../internal/logger.js';
import { VERSION } from '../version.js';

/** A listen failure as one line naming the key to change. */
function listenFailure(error: unknown, config: BeaconConfig): string {
  const cp = config.control_plane;
  const e = error as NodeJS.ErrnoException & { path?: string };
  const where = `${cp.listen_address}:${cp.listen_port}`;
  if (e.code === 'EADDRINUSE') return `control_plane.listen_port: ${where} is already in use (another server is listening there)`;
  if (e.code === 'EACCES') return `control_plane.listen_port: not allowed to listen on ${where} (ports below 1024 need privileges)`;
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return `control_plane.listen_address: ${cp.listen_address} is not an address of this host`;
  if (e.code === 'ENOENT' || e.code === 'EISDIR') return `control_plane.tls_cert/tls_key: cannot read ${e.path ?? 'the certificate or key'}: ${e.message}`;
  if (e.code === 'INSECURE_BIND') return `control_plane.listen_address: ${e.message}`;
  return `control_plane: cannot listen on ${where}: ${e.message}`;
}

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
      const store = (() => {
        try {
          return openStore(config);
        } catch (error) {
          throw new Error(`persistence.db_path: ${(error as Error).message}`, { cause: error });
        }
      })();
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
      let server: Awaited<ReturnType<typeof cp.listen>>;
      try {
        server = await cp.listen();
      } catch (error) {
        await cp.close().catch(() => undefined);
        throw new Error(listenFailure(error, config), { cause: error });
      }
      cp.start();
      logger.info({ version: VERSION, url: server.url, config: opts.config ?? '(defaults)' }, 'control plane started');
      // The one "listening" line, on stdout, so scripts (and tests) can find a port picked with 0.
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
