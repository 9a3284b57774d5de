import type { Alert, AlertDispatcher, AlertSink } from '@beacon/alerting';
import type { BeaconConfig } from '@beacon/config';
import type { ConnectionEvent, Detector, DetectorStore } from '@beacon/detector';
import type { AppType } from './apiRoutes.js';
import { createPipeline, type Pipeline } from './createPipeline.js';
import type { Registry } from 'prom-client';
import type { PublishedBatch, ServerLogger } from './appDeps.js';
import { ingestEvents, type IngestedEvents } from './internal/ingestEvents.js';
import type { DataPlaneStats } from './telemetry/wire.js';
import { createApp } from './createApp.js';
import { listen, type ListenOptions, type RunningServer } from './listen.js';
import { SERVER_STATES } from './persistence/serverCounters.js';

/** Options of {@link createControlPlane}. */
export interface ControlPlaneOptions {
  /** Alert sinks to use instead of those the `alerting` section describes (tests, demos). */
  sinks?: readonly AlertSink[];
  /** prom-client registry. @default a new Registry */
  registry?: Registry;
  /** Logger. @default no logging */
  logger?: ServerLogger;
  /** Clock, milliseconds since the epoch (the detector gets it in seconds). @default Date.now */
  now?: () => number;
  /** Require the API key for reads too. @default false */
  protectReads?: boolean;
  /**
   * Where the state lives between runs: any `DetectorStore` (e.g. `SqliteStore` from
   * `@beacon/store-sqlite`), optionally with `saveAlerts`/`loadAlerts` to keep delivered alerts.
   * The control plane restores from it at start (see {@link ControlPlane.ready}), writes one
   * batch every `flushIntervalMs`, flushes and closes it in `close()`. @default none (memory only)
   */
  store?: DetectorStore & {
    saveAlerts?(alerts: readonly Alert[]): Promise<void>;
    loadAlerts?(limit: number): Promise<Alert[]>;
    readonly path?: string;
  };
  /** Milliseconds between batched writes to `store`. @default persistence.flush_interval x 1000 */
  flushIntervalMs?: number;
  /** Where `POST /api/v1/telemetry` sends batches instead of the detector (see `AppDeps.publishTelemetry`). @default none */
  publishTelemetry?: (batch: PublishedBatch) => Promise<void>;
}

/** The composed control plane: the {@link Pipeline} with the HTTP API in front of it. */
export interface ControlPlane {
  app: AppType;
  /** The detection pipeline the API reads and feeds. */
  pipeline: Pipeline;
  detector: Detector;
  dispatcher: AlertDispatcher;
  /**
   * Settles when the state in `store` is restored (at once without a store); rejects when it
   * could not be (the detector then starts empty only if the caller chooses to go on).
   * `listen()` and `start()` wait for it.
   */
  ready: Promise<void>;
  /** Starts the detector's analysis and cleanup loop (and the store's flush loop), once `ready`. */
  start(): void;
  /**
   * Writes what changed since the last flush to the store now (nothing without a store). When a
   * flush is already writing, another follows it, so everything accepted before the call is written.
   */
  flush(): Promise<void>;
  /**
   * Feeds events already validated elsewhere (a cluster shard's stream consumer) to the
   * detector, counted as one telemetry batch, in one synchronous call.
   */
  ingestEvents(events: readonly ConnectionEvent[], meta: { nodeId: string; dataPlaneStats?: DataPlaneStats | undefined }): IngestedEvents;
  /**
   * Serves the API on `control_plane.listen_address:listen_port` (TLS when `tls_cert` and
   * `tls_key` are set); `overrides` win. Refuses a non-loopback address without `api_key`.
   */
  listen(overrides?: ListenOptions): Promise<RunningServer>;
  /**
   * Stops the loop, closes the HTTP server (letting open requests finish), delivers queued
   * alerts, closes the sinks, then writes the last changes and closes the store.
   */
  close(): Promise<void>;
}

/**
 * Builds the whole control plane from a validated configuration: the detector (from
 * `toDetectorConfig`), the alert dispatcher with the sinks of the `alerting` section, the wiring
 * from detector alerts to the dispatcher, and the HTTP API. `beacon server` is a thin wrapper.
 * @throws `DetectorError` or `AlertingError` when a section is unusable (naming the key)
 * @example
 * const cp = createControlPlane(await loadConfig('config.yaml'), { logger });
 * cp.start();
 * await cp.listen();
 * process.once('SIGTERM', () => void cp.close());
 */
export function createControlPlane(config: BeaconConfig, options: ControlPlaneOptions = {}): ControlPlane {
  const { logger, now = Date.now } = options;
  const pipeline = createPipeline(config, {
    ...(options.sinks ? { sinks: options.sinks } : {}),
    ...(logger ? { logger } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.flushIntervalMs !== undefined ? { flushIntervalMs: options.flushIntervalMs } : {}),
    now,
    serverCounters: () => {
      // Called by restore(), after `app` below exists.
      const state = SERVER_STATES.get(app);
      if (!state) logger?.warn({}, 'server counters are not persisted (createApp did not register them)');
      return state;
    },
  });
  const { detector, dispatcher } = pipeline;
  const app: AppType = createApp({
    detector,
    alerts: dispatcher,
    config,
    onConfigUpdate: (next) => {
      pipeline.alertingEnabled = next.alerting.enabled;
    },
    ...(options.registry ? { registry: options.registry } : {}),
    ...(logger ? { logger } : {}),
    now,
    protectReads: options.protectReads ?? false,
    ...(options.publishTelemetry ? { publishTelemetry: options.publishTelemetry } : {}),
  });
  const ready = pipeline.restore().then(() => undefined);
  // Callers that never await `ready` still see a failure through listen()/start(); avoid an unhandled rejection meanwhile.
  ready.catch(() => undefined);

  const servers = new Set<RunningServer>();
  let closing: Promise<void> | undefined;
  let started = false;
  const cp = config.control_plane;
  return {
    app,
    pipeline,
    detector,
    dispatcher,
    ready,
    start() {
      if (started) return;
      started = true;
      pipeline.start().catch((error: unknown) => logger?.error({ err: error }, `not started: the saved state could not be restored: ${(error as Error).message}`));
    },
    flush: () => pipeline.flush(),
    ingestEvents(events, meta) {
      const state = SERVER_STATES.get(app);
      if (!state) throw new Error('createApp did not register its server counters');
      return ingestEvents(detector, state, events, meta, now());
    },
    async listen(overrides = {}) {
      await ready;
      const tls = cp.tls_cert && cp.tls_key ? { certPath: cp.tls_cert, keyPath: cp.tls_key } : null;
      const running = await listen(app, { hostname: cp.listen_address, port: cp.listen_port, tls, maxConnections: cp.max_connections, ...overrides });
      servers.add(running);
      return running;
    },
    close() {
      closing ??= (async () => {
        detector.stop();
        await Promise.all([...servers].map((s) => s.close()));
        await pipeline.close();
      })();
      return closing;
    },
  };
}
