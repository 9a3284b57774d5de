import { AlertDispatcher, createAlert, createSinksFromConfig, type AlertingConfig, type AlertSink } from '@beacon/alerting';
import { toDetectorConfig, type BeaconConfig } from '@beacon/config';
import { createDetector, toBeaconItem, type Detector } from '@beacon/detector';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { ServerLogger, ServerStore } from './appDeps.js';
import { createApp } from './createApp.js';
import { listen, type ListenOptions, type RunningServer } from './listen.js';

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
  /** Persistence (reserved; closed by `close()` when it has a close method). */
  store?: ServerStore;
}

/** The composed control plane: detector, alert dispatcher and HTTP API, wired together. */
export interface ControlPlane {
  app: Hono;
  detector: Detector;
  dispatcher: AlertDispatcher;
  /** Starts the detector's analysis and cleanup loop. */
  start(): void;
  /**
   * Serves the API on `control_plane.listen_address:listen_port` (TLS when `tls_cert` and
   * `tls_key` are set); `overrides` win. Refuses a non-loopback address without `api_key`.
   */
  listen(overrides?: ListenOptions): Promise<RunningServer>;
  /** Stops the loop, closes the HTTP server (letting open requests finish), delivers queued alerts and closes the sinks. */
  close(): Promise<void>;
}

/** The config file's `alerting` section in the shape `createSinksFromConfig` reads. */
function alertingConfig(a: BeaconConfig['alerting']): AlertingConfig {
  const { webhook, syslog, ...rest } = a;
  const out: AlertingConfig = {
    ...rest,
    syslog: syslog as AlertingConfig['syslog'],
    webhook: { enabled: webhook.enabled, url: webhook.url, headers: webhook.headers, timeout: webhook.timeout, retries: webhook.retries },
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

  detector.on('alert', ({ detection, reason }) => {
    if (!alertingEnabled) return;
    try {
      dispatcher.enqueue(createAlert(toBeaconItem(detection), { now }));
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
    ...(options.store ? { store: options.store } : {}),
    now,
    protectReads: options.protectReads ?? false,
  });

  const servers = new Set<RunningServer>();
  let closing: Promise<void> | undefined;
  const cp = config.control_plane;
  return {
    app,
    detector,
    dispatcher,
    start: () => detector.start(),
    async listen(overrides = {}) {
      const tls = cp.tls_cert && cp.tls_key ? { certPath: cp.tls_cert, keyPath: cp.tls_key } : null;
      const running = await listen(app, { hostname: cp.listen_address, port: cp.listen_port, tls, maxConnections: cp.max_connections, ...overrides });
      servers.add(running);
      logger?.info({ url: running.url }, 'control plane listening');
      return running;
    },
    close() {
      closing ??= (async () => {
        detector.stop();
        await Promise.all([...servers].map((s) => s.close()));
        await dispatcher.close();
        await options.store?.close?.();
      })();
      return closing;
    },
  };
}
