import { AlertDispatcher, createAlert, createSinksFromConfig, type Alert, type AlertSink } from '@beacon/alerting';
import { toDetectorConfig, type BeaconConfig } from '@beacon/config';
import { createDetector, toBeaconItem, type Detector } from '@beacon/detector';
import type { ServerLogger } from './appDeps.js';
import { alertingConfig } from './alertingConfig.js';
import type { ServerState } from './internal/serverState.js';
import { Persistence, type PersistenceStore } from './persistence/persistence.js';

/** Options of {@link createPipeline}. */
export interface PipelineOptions {
  /** Alert sinks to use instead of those the `alerting` section describes (tests, demos). */
  sinks?: readonly AlertSink[];
  /** Sinks added to those of the `alerting` section (e.g. a console sink for an agent). @default none */
  extraSinks?: readonly AlertSink[];
  /** Logger for detector errors, delivery failures and dropped alerts. @default no logging */
  logger?: ServerLogger;
  /** Clock, milliseconds since the epoch (the detector gets it in seconds). @default Date.now */
  now?: () => number;
  /** Overrides `detection.analysis_interval`, seconds. */
  analysisInterval?: number;
  /**
   * Where the state lives between runs (e.g. `SqliteStore` from `@beacon/store-sqlite`). The
   * pipeline restores from it in {@link Pipeline.restore}, writes a batch every
   * `flushIntervalMs` once started, and flushes and closes it in `close()`. @default none (memory only)
   */
  store?: PersistenceStore;
  /** Milliseconds between batched writes to `store`. @default persistence.flush_interval x 1000 */
  flushIntervalMs?: number;
  /** Called with every alert the detector raises, delivered or not (alerting off). */
  onAlert?: (alert: Alert) => void;
  /** @internal The HTTP server's counters, persisted with the detector's (read at restore time). */
  serverCounters?: () => ServerState | undefined;
}

/** What {@link Pipeline.restore} brought back. */
export interface RestoredState {
  pairs: number;
  beacons: number;
  alerts: number;
}

/**
 * The detection pipeline without HTTP: detector, alert creation, the alert dispatcher with its
 * sinks and (optionally) persistence, wired once. `createControlPlane` puts the HTTP API in front
 * of it, `beacon agent` feeds it from the eBPF probe, and a hunt or any other tool can feed it
 * from anywhere with `pipeline.detector.ingestBatch(events)`.
 */
export interface Pipeline {
  readonly detector: Detector;
  readonly dispatcher: AlertDispatcher;
  /** Whether alerts go to the dispatcher (`alerting.enabled`; `POST /api/v1/config` may change it). */
  alertingEnabled: boolean;
  /** Alerts raised since start, delivered or not. */
  readonly alertsRaised: number;
  /** Restores the saved state, once (later calls return the same promise); zeros without a store. */
  restore(): Promise<RestoredState>;
  /** Restores, then starts the analysis/cleanup loop and the store's flush loop. */
  start(): Promise<void>;
  /**
   * Writes what changed since the last flush to the store now (nothing without a store). When a
   * flush is already writing, another follows it, so everything accepted before the call is written.
   */
  flush(): Promise<void>;
  /**
   * Stops the loop (after one last analysis with `finalAnalysis`), delivers queued alerts, closes
   * the sinks, then writes the last changes and closes the store. Idempotent.
   */
  close(options?: { finalAnalysis?: boolean }): Promise<void>;
}

/**
 * Wires detector -> alert -> dispatcher -> sinks (and persistence) from a validated
 * configuration. Nothing listens on a socket and nothing runs until `start()`.
 * @throws `DetectorError` or `AlertingError` when a section is unusable (naming the key)
 * @example
 * const pipeline = createPipeline(await loadConfig('config.yaml'), { sinks: [new MemorySink()] });
 * await pipeline.start();
 * for await (const batch of openSource('conn.log')) pipeline.detector.ingestBatch(batch);
 * await pipeline.close({ finalAnalysis: true });
 */
export function createPipeline(config: BeaconConfig, options: PipelineOptions = {}): Pipeline {
  const { logger, now = Date.now, store } = options;
  const detectorConfig = toDetectorConfig(config);
  if (options.analysisInterval !== undefined) detectorConfig.analysisInterval = options.analysisInterval;
  const detector = createDetector({ config: detectorConfig, now: () => now() / 1000 });
  const sinks = [...(options.sinks ?? createSinksFromConfig(alertingConfig(config.alerting))), ...(options.extraSinks ?? [])];
  const dispatcher = new AlertDispatcher({ sinks, queueSize: config.alerting.queue_size });
  let persistence: Persistence | undefined;
  let alertsRaised = 0;

  const pipeline: Pipeline = {
    detector,
    dispatcher,
    alertingEnabled: config.alerting.enabled,
    get alertsRaised() {
      return alertsRaised;
    },
    restore,
    start,
    flush: () => persistence?.flush() ?? Promise.resolve(),
    close,
  };

  detector.on('alert', ({ detection, reason }) => {
    let alert: Alert;
    try {
      alert = createAlert(toBeaconItem(detection), { now });
    } catch (error) {
      logger?.error({ err: error, pair: detection.pairKey, reason }, 'could not build an alert');
      return;
    }
    alertsRaised++;
    options.onAlert?.(alert);
    if (!pipeline.alertingEnabled) return;
    dispatcher.enqueue(alert);
    persistence?.enqueued(alert);
  });
  detector.on('error', (error) => logger?.warn({ err: error, code: error.code }, error.message));
  dispatcher.on('failed', (alert, sink, error) => logger?.warn({ alert: alert.alert_id, sink, code: error.code }, error.message));
  dispatcher.on('dropped', (_alert, reason) => logger?.warn({ reason }, 'alert dropped'));
  dispatcher.on('sinkError', (sink, error) => logger?.warn({ sink, code: error.code }, error.message));

  let restoring: Promise<RestoredState> | undefined;
  function restore(): Promise<RestoredState> {
    restoring ??= (() => {
      if (!store) return Promise.resolve({ pairs: 0, beacons: 0, alerts: 0 });
      persistence = new Persistence({ store, detector, dispatcher, sinkCount: sinks.length, serverState: options.serverCounters?.(), logger });
      return persistence.restore();
    })();
    return restoring;
  }

  let closing: Promise<void> | undefined;
  async function start(): Promise<void> {
    await restore();
    if (closing) return;
    detector.start();
    persistence?.startLoop(options.flushIntervalMs ?? config.persistence.flush_interval * 1000);
  }

  function close(closeOptions: { finalAnalysis?: boolean } = {}): Promise<void> {
    closing ??= (async () => {
      if (closeOptions.finalAnalysis) detector.analyze();
      detector.stop();
      await dispatcher.close();
      await restoring?.catch(() => undefined);
      // After the dispatcher: alerts delivered while closing are written too.
      if (persistence) await persistence.close();
      else if (store && !restoring) await store.close();
    })();
    return closing;
  }

  return pipeline;
}
