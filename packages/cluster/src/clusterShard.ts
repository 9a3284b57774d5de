import { hostname } from 'node:os';
import type { BeaconConfig } from '@beacon/config';
import { createControlPlane, listen, ServerError, type ControlPlane, type ControlPlaneOptions, type ListenOptions, type PersistenceStore, type RunningServer } from '@beacon/server';
import { jetstreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Hono } from 'hono';
import { checkpointStore } from './checkpointStore.js';
import { clusterApp, localAnswer } from './clusterApp.js';
import { openLayout, type ShardRecord } from './clusterLayout.js';
import type { ClusterSettings } from './clusterSettings.js';
import { connectNats } from './connectNats.js';
import { ensureStream } from './ensureStream.js';
import { EventPublisher } from './eventPublisher.js';
import { QueryBus } from './queryBus.js';
import { ShardConsumer } from './shardConsumer.js';
import { ownedPartitions } from './shardSpec.js';
import { watchConnection } from './internal/watchConnection.js';
import { closeConnection } from './internal/closeConnection.js';

/** Options of {@link createClusterShard}: the control plane's, with the store wrapped for checkpoints. */
export interface ClusterShardOptions extends Omit<ControlPlaneOptions, 'publishTelemetry' | 'store'> {
  store?: PersistenceStore;
  /** Milliseconds between registrations in the cluster's KV bucket. @default 5000 */
  heartbeatMs?: number;
}

/** A running cluster shard. */
export interface ClusterShard {
  settings: ClusterSettings;
  /** The cluster-aware HTTP API (scatter-gather reads, telemetry to the stream). */
  app: Hono;
  /** The shard's own control plane (its detector holds only its partitions' pairs). */
  controlPlane: ControlPlane;
  consumer: ShardConsumer;
  publisher: EventPublisher;
  nc: NatsConnection;
  /** Restores the saved state, then consumes the shard's partitions from where it ends. */
  start(): Promise<void>;
  /** Serves the cluster-aware API on the control plane's address; `overrides` win. */
  listen(overrides?: ListenOptions): Promise<RunningServer>;
  /** Stops consuming, closes the control plane (the last checkpoint is saved, then acknowledged), then NATS. */
  close(): Promise<void>;
}

/**
 * Builds one control-plane shard of a cluster: connects to NATS, makes sure the event stream
 * exists and the layout agrees, wires a {@link ShardConsumer} for the shard's partitions into
 * a control plane whose store saves the consumer's checkpoint with each state delta, sends
 * `POST /api/v1/telemetry` to the stream (answered after JetStream's acknowledgement, 503
 * with `Retry-After` while it cannot be reached), and answers other shards' queries.
 * @throws `ClusterError` `CONNECT_FAILED` or `LAYOUT_MISMATCH`
 * @example
 * const shard = await createClusterShard(config, clusterSettings(config, { nats, shard: '1/3' })!, { store, logger });
 * await shard.start();
 * await shard.listen();
 */
export async function createClusterShard(config: BeaconConfig, settings: ClusterSettings, options: ClusterShardOptions = {}): Promise<ClusterShard> {
  const { logger, heartbeatMs = 5000 } = options;
  const { index, count } = settings.shard;
  const label = `${index}/${count}`;
  const nc = await connectNats(settings, `beacon-shard-${index}-of-${count}`);
  let kv: KV;
  try {
    await ensureStream(await jetstreamManager(nc), { stream: settings.stream, maxAgeSeconds: settings.maxAgeSeconds, replicas: settings.replicas });
    kv = await openLayout(nc, { stream: settings.stream, partitions: settings.partitions });
  } catch (error) {
    await nc.close();
    throw error;
  }
  const partitions = ownedPartitions(settings.shard, settings.partitions);
  const watch = watchConnection(nc, (up) => logger?.warn({ nats: settings.natsUrl }, up ? 'NATS connection back' : 'NATS connection lost; reconnecting'));
  // Declared before the control plane; it calls back into it once built.
  const ref: { cp?: ControlPlane } = {};
  const consumer = new ShardConsumer({
    nc,
    stream: settings.stream,
    partitions,
    apply: (events, meta) => void ref.cp!.ingestEvents(events, meta),
    ackAfterCommit: options.store !== undefined,
    ackWaitMs: Math.max(30_000, 4 * (options.flushIntervalMs ?? config.persistence.flush_interval * 1000)),
  });
  consumer.on('reset', (p, reason) => logger?.info({ partition: p, reason }, `partition ${p}: consumer re-created at the last applied sequence`));
  consumer.on('invalid', (p, seq, error) => logger?.warn({ partition: p, seq, err: error }, `partition ${p}: message ${seq} skipped: ${error.message}`));
  const publisher = new EventPublisher(nc, { partitions: settings.partitions, timeoutMs: 2000 });
  const { store, heartbeatMs: _h, ...cpOptions } = options;
  const controlPlane = (ref.cp = createControlPlane(config, {
    ...cpOptions,
    ...(store ? { store: checkpointStore(store, consumer) } : {}),
    publishTelemetry: async (b) => {
      try {
        await publisher.publish(b.events, { batchId: b.batchId, nodeId: b.nodeId, dataPlaneStats: b.dataPlaneStats });
      } catch (error) {
        throw new ServerError('UNAVAILABLE', `the event stream did not take the batch: ${(error as Error).message}`, { cause: error });
      }
    },
  }));

  const bus = new QueryBus({ nc, stream: settings.stream, shard: index, shards: count, timeoutMs: settings.queryTimeoutMs });
  const apiKey = config.control_plane.api_key;
  const startedAt = new Date().toISOString();
  let url: string | null = null;
  const self = async (): Promise<Record<string, unknown>> => {
    const s = consumer.stats();
    const lag = await consumer.lag().catch(() => []);
    return {
      shard: label,
      partitions,
      nats_connected: watch.connected,
      events_consumed: s.eventsConsumed,
      messages_consumed: s.messagesConsumed,
      messages_invalid: s.messagesInvalid,
      records_invalid: s.recordsInvalid,
      consumer_resets: s.resets,
      lag_messages: lag.reduce((a, l) => a + l.pending, 0),
      unacknowledged_messages: lag.reduce((a, l) => a + l.ackPending, 0),
      events_published: publisher.stats.eventsPublished,
      url,
    };
  };
  bus.serve((req) => localAnswer({ local: controlPlane.app, self }, req, apiKey ? { 'x-api-key': apiKey } : {}));
  const app = clusterApp({ local: controlPlane.app, bus, shard: index, shards: count, self, cluster: { stream: settings.stream, partitions: settings.partitions, nats_url: settings.natsUrl.replace(/\/\/[^@/]*@/, '//') } });

  const register = async (): Promise<void> => {
    const rec: ShardRecord = { shard: label, url, partitions, host: hostname(), pid: process.pid, started_at: startedAt, updated_at: new Date().toISOString() };
    await kv.put(`shard.${index}`, JSON.stringify(rec));
  };
  let beat: ReturnType<typeof setInterval> | undefined;
  const servers = new Set<RunningServer>();
  let closing: Promise<void> | undefined;
  return {
    settings,
    app,
    controlPlane,
    consumer,
    publisher,
    nc,
    async start() {
      await controlPlane.ready;
      controlPlane.start();
      await consumer.start();
      logger?.info({ shard: label, partitions, stream: settings.stream }, `shard ${label} consuming partitions ${partitions.join(', ')}`);
      await register().catch(() => undefined);
      beat = setInterval(() => void register().catch(() => undefined), heartbeatMs);
      beat.unref();
    },
    async listen(overrides = {}) {
      const cpc = config.control_plane;
      const tls = cpc.tls_cert && cpc.tls_key ? { certPath: cpc.tls_cert, keyPath: cpc.tls_key } : null;
      const running = await listen(app, { hostname: cpc.listen_address, port: cpc.listen_port, tls, maxConnections: cpc.max_connections, hasApiKey: apiKey !== null, ...overrides });
      servers.add(running);
      url = running.url;
      await register().catch(() => undefined);
      return running;
    },
    close() {
      closing ??= (async () => {
        clearInterval(beat);
        await consumer.stop();
        await Promise.all([...servers].map((s) => s.close()));
        bus.close();
        await controlPlane.close();
        publisher.close();
        watch.stop();
        await closeConnection(nc);
      })();
      return closing;
    },
  };
}
