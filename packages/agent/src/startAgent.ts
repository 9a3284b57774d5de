import { hostname } from 'node:os';
import { ConsoleSink, formatConsoleLine, type AlertDispatcher, type LineWriter } from '@beacon/alerting';
import { openProbe, type ProbeCounters } from '@beacon/bpf-probe';
import type { BeaconConfig } from '@beacon/config';
import { DEFAULT_INTERNAL_NETWORKS, hostAddresses, type ConnectionEvent, type Detector } from '@beacon/detector';
import { createPipeline } from '@beacon/server';
import { openStore } from './openStore.js';
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
 * Starts a single-host agent: the eBPF probe feeds `@beacon/server`'s `createPipeline` (the
 * same detector, alerting and persistence wiring as the control plane, without HTTP); alerts go
 * to the sinks of the `alerting:` section (plus a console sink when `alerting.console` is true;
 * otherwise each alert is still logged as one line).
 * @throws `ProbeError`, `DetectorError` or `AlertingError` naming what is wrong
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { config, log } = options;
  const console = config.alerting.enabled && config.alerting.console;
  // State survives restarts like the control plane's: pairs, beacons, cooldowns, alerts.
  const store = options.persist === false ? null : openStore(config);
  // the watched host's own addresses are ours, whatever they are
  const internal = [...(config.detection.internal_networks ?? DEFAULT_INTERNAL_NETWORKS), ...hostAddresses()];
  const pipeline = createPipeline({ ...config, detection: { ...config.detection, internal_networks: internal } }, {
    extraSinks: console ? [new ConsoleSink({ stream: options.consoleStream ?? process.stderr })] : [],
    ...(options.analysisInterval !== undefined ? { analysisInterval: options.analysisInterval } : {}),
    ...(store ? { store } : {}),
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (_obj, msg) => log(msg ?? 'warning'),
      error: (_obj, msg) => log(msg ?? 'error'),
    },
    onAlert: (alert) => {
      if (!console) log(`ALERT ${formatConsoleLine(alert)}`);
    },
  });
  const { detector, dispatcher } = pipeline;
  let eventsIngested = 0;
  let allowlisted = 0;

  try {
    const restored = await pipeline.restore();
    if (store) log(`persistence: ${store.path} (restored ${restored.pairs} pairs, ${restored.beacons} beacons, ${restored.alerts} alerts)`);
  } catch (error) {
    await store?.close().catch(() => undefined);
    throw new Error(`cannot restore the saved state from ${store?.path ?? '(no file)'}: ${(error as Error).message}. Move the file away or set persistence.db_path to another file.`, { cause: error });
  }

  let probe: Awaited<ReturnType<typeof openProbe>>;
  try {
    probe = await openProbe(probeOptionsFrom(config.data_plane, options.interface, options.nodeId ?? hostname(), log));
  } catch (error) {
    await pipeline.close();
    throw error;
  }
  probe.on('batch', (events) => {
    options.onEvents?.(events);
    const r = detector.ingestBatch(events);
    eventsIngested += r.accepted;
    allowlisted += r.allowlisted;
  });
  probe.on('error', (error) => log(`probe error: ${error.message}`));
  await pipeline.start();

  let stopping: Promise<void> | undefined;
  return {
    attachMode: probe.attachMode,
    detector,
    dispatcher,
    stats: () => ({ probe: probe.counters(), eventsIngested, allowlisted, alerts: pipeline.alertsRaised }),
    stop() {
      stopping ??= (async () => {
        await probe.close(); // the records still queued are ingested before this resolves
        await pipeline.close({ finalAnalysis: true });
      })();
      return stopping;
    },
  };
}
