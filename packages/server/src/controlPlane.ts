import { AlertDispatcher, createAlert, createSinksFromConfig, type Alert, type AlertingConfig, type AlertSink } from '@beacon/alerting';
import { toDetectorConfig, type BeaconConfig } from '@beacon/config';
import { createDetector, toBeaconItem, type Detector, type DetectorStore } from '@beacon/detector';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { ServerLogger } from './appDeps.js';
import { createApp } from './createApp.js';
import { listen, type ListenOptions, type RunningServer } from './listen.js';
import { Persistence, type PersistenceStore } from './persistence/persistence.js';
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
}

/** The composed control plane: detector, alert dispatcher and HTTP API, wired together. */
export interface ControlPlane {
  app: Hono;
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
  /** Writes what changed since the last flush to the store now (nothing without a store). */
  flush(): Promise<void>;
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

/** The config file's `alerting` section in the shape `createSinksFromConfig` of `@beacon/alerting` reads. */
export function alertingConfig(a: BeaconConfig['alerting']): AlertingConfig {
  const { webhook, syslog, ...rest } = a;
  const out: AlertingConfig = {
    ...rest,
    syslog: syslog as AlertingConfig['syslog'],
    webhook: { enabled: webhook.enabled, url: webhook.url, headers: webhook.headers, timeout: webhook.timeout, retries: webhook.retries, format: webhook.format },
  };
  if (webhook.secret !== null) out.webhook!.secret = webhook.secret;
  return out;
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
  let alertingEnabled = config.alerting.enabled;
  const detector = createDetector({ config: toDetectorConfig(config), now: () => now() / 1000 });
  const sinks = options.sinks ?? createSinksFromConfig(alertingConfig(config.alerting));
  const dispatcher = new AlertDispatcher({ sinks, queueSize: config.alerting.queue_size });

  let persistence: Persistence | undefined;
  detector.on('alert', ({ detection, reason }) => {
    if (!alertingEnabled) return;
    try {
      const alert = createAlert(toBeaconItem(detection), { now });
      dispatcher.enqueue(alert);
      persistence?.enqueued(alert);
    } catch (error) {
      logger?.error({ err: error, pair: detection.pairKey, reason }, 'could not build an alert');
    }
  });
  detector.on('error', (error) => logger?.warn({ err: error, code: error.code }, error.message));
  dispatcher.on('failed', (alert, sink, error) => logger?.warn({ alert: alert.alert_id, sink, code: error.code }, error.message));
  dispatcher.on('dropped', (_alert, reason) => logger?.warn({ reason }, 'alert dropped'));
  dispatcher.on('sinkError', (sink, error) => logger?.warn({ sink, code: error.code }, error.message));

  const app = createApp({
    detector,
    alerts: dispatcher,
    config,
    onConfigUpdate: (next) => {
      alertingEnabled = next.alerting.enabled;
    },
    ...(options.registry ? { registry: options.registry } : {}),
    ...(logger ? { logger } : {}),
    now,
    protectReads: options.protectReads ?? false,
  });

  const store: PersistenceStore | undefined = options.store;
  if (store) {
    const serverState = SERVER_STATES.get(app);
    if (!serverState) logger?.warn({}, 'server counters are not persisted (createApp did not register them)');
    persistence = new Persistence({ store, detector, dispatcher, sinkCount: sinks.length, serverState, logger });
  }
  const ready = persistence ? persistence.restore().then(() => undefined) : Promise.resolve();
  // Callers that never await `ready` still see a failure through listen()/start(); avoid an unhandled rejection meanwhile.
  ready.catch(() => undefined);

  const servers = new Set<RunningServer>();
  let closing: Promise<void> | undefined;
  let started = false;
  const cp = config.control_plane;
  const flushMs = options.flushIntervalMs ?? config.persistence.flush_interval * 1000;
  return {
    app,
    detector,
    dispatcher,
    ready,
    start() {
      if (started) return;
      started = true;
      void ready.then(
        () => {
          if (closing) return;
          detector.start();
          persistence?.startLoop(flushMs);
        },
        (error: unknown) => logger?.error({ err: error }, `not started: the saved state could not be restored: ${(error as Error).message}`),
      );
    },
    flush: () => persistence?.flush() ?? Promise.resolve(),
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
        await dispatcher.close();
        await ready.catch(() => undefined);
        // After the dispatcher: alerts delivered while closing are written too.
        await persistence?.close();
      })();
      return closing;
    },
  };
}
