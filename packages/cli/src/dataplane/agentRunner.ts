import { hostname } from 'node:os';
import { AlertDispatcher, ConsoleSink, createAlert, createSinksFromConfig, formatConsoleLine, type AlertSink, type LineWriter } from '@beacon/alerting';
import { openProbe, type ProbeCounters } from '@beacon/bpf-probe';
import { toDetectorConfig, type BeaconConfig } from '@beacon/config';
import { createDetector, toBeaconItem, type ConnectionEvent, type Detector } from '@beacon/detector';
import { alertingConfig, Persistence } from '@beacon/server';
import { openStore } from '../internal/openStore.js';
import { probeOptionsFrom } from './probeOptions.js';

/** Options of {@link startAgent}. */
export interface AgentOptions {
  config: BeaconConfig;
  /** Overrides `data_plane.interface`. */
  interface?: string | undefined;
  /** Overrides `detection.analysis_interval`, seconds. */
  analysisInterval?: number | undefined;
  /** Node id written into events. @default the host name */
  nodeId?: string | undefined;
  /** Start-up lines, probe errors and (unless the console sink is on) one line per alert. */
  log: (line: string) => void;
  /** Where the console sink writes when `alerting.console` is true. @default process.stderr */
  consoleStream?: LineWriter;
  /** Keep state in `persistence.db_path` (when enabled there). @default true */
  persist?: boolean;
  /** Also receives every probe batch (`--nats`: forwarded to the cluster's stream). */
  onEvents?: (events: ConnectionEvent[]) => void;
}

/** A running agent: probe and detector in one process. */
export interface Agent {
  readonly attachMode: string;
  readonly detector: Detector;
  readonly dispatcher: AlertDispatcher;
  /** Probe counters plus events ingested and alerts raised. */
  stats(): { probe: ProbeCounters; eventsIngested: number; allowlisted: number; alerts: number };
  /** Closes the probe, runs a last analysis, stops the loop and delivers queued alerts. */
  stop(): Promise<void>;
}

/**
 * Starts a single-host agent: the eBPF probe feeds a detector (configured by
 * `toDetectorConfig`, wall-clock time) whose analysis loop runs; its alerts go through an
 * {@link AlertDispatcher} to the sinks of the `alerting:` section (plus a console sink when
 * `alerting.console` is true; otherwise each alert is still logged as one line).
 * @throws `ProbeError`, `DetectorError` or `AlertingError` naming what is wrong
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { config, log } = options;
  const detectorConfig = toDetectorConfig(config);
  if (options.analysisInterval !== undefined) detectorConfig.analysisInterval = options.analysisInterval;
  const detector = createDetector({ config: detectorConfig, now: () => Date.now() / 1000 });
  const sinks: AlertSink[] = createSinksFromConfig(alertingConfig(config.alerting));
  const console = config.alerting.enabled && config.alerting.console;
  if (console) sinks.push(new ConsoleSink({ stream: options.consoleStream ?? process.stderr }));
  const dispatcher = new AlertDispatcher({ sinks, queueSize: config.alerting.queue_size });
  let eventsIngested = 0;
  let allowlisted = 0;
  let alerts = 0;

  detector.on('alert', ({ detection }) => {
    alerts++;
    const alert = createAlert(toBeaconItem(detection));
    if (!console) log(`ALERT ${formatConsoleLine(alert)}`);
    if (config.alerting.enabled) {
      dispatcher.enqueue(alert);
      persistence?.enqueued(alert);
    }
  });
  detector.on('error', (error) => log(`detector: ${error.message}`));
  dispatcher.on('failed', (alert, sink, error) => log(`alert ${alert.alert_id} not delivered to ${sink}: ${error.message}`));
  dispatcher.on('dropped', (_alert, reason) => log(`an alert was dropped: ${reason}`));

  // State survives restarts like the control plane's: pairs, beacons, cooldowns, alerts.
  const store = options.persist === false ? null : openStore(config);
  const persistence = store ? new Persistence({ store, detector, dispatcher, sinkCount: sinks.length, serverState: undefined, logger: undefined }) : undefined;
  if (persistence && store) {
    try {
      const restored = await persistence.restore();
      log(`persistence: ${store.path} (restored ${restored.pairs} pairs, ${restored.beacons} beacons, ${restored.alerts} alerts)`);
    } catch (error) {
      await store.close().catch(() => undefined);
      throw new Error(`cannot restore the saved state from ${store.path}: ${(error as Error).message}. Move the file away or set persistence.db_path to another file.`, { cause: error });
    }
    persistence.startLoop(config.persistence.flush_interval * 1000);
  }

  let probe: Awaited<ReturnType<typeof openProbe>>;
  try {
    probe = await openProbe(probeOptionsFrom(config.data_plane, options.interface, options.nodeId ?? hostname(), log));
  } catch (error) {
    await persistence?.close();
    throw error;
  }
  probe.on('batch', (events) => {
    options.onEvents?.(events);
    const r = detector.ingestBatch(events);
    eventsIngested += r.accepted;
    allowlisted += r.allowlisted;
  });
  probe.on('error', (error) => log(`probe error: ${error.message}`));
  detector.start();

  let stopping: Promise<void> | undefined;
  return {
    attachMode: probe.attachMode,
    detector,
    dispatcher,
    stats: () => ({ probe: probe.counters(), eventsIngested, allowlisted, alerts }),
    stop() {
      stopping ??= (async () => {
        await probe.close(); // the records still queued are ingested before this resolves
        detector.analyze();
        detector.stop();
        await dispatcher.close();
        await persistence?.close();
      })();
      return stopping;
    },
  };
}
