import { openProbe, type Probe, type ProbeCounters } from '@beacon/bpf-probe';
import type { BeaconConfig } from '@beacon/config';
import { createAllowlist, type ConnectionEvent } from '@beacon/detector';
import type { BackoffOptions } from '@beacon/alerting';
import { EventBuffer } from './eventBuffer.js';
import { TelemetryExporter, type ExporterStats } from './exporter.js';
import { JetStreamExporter } from './jetStreamExporter.js';
import type { EventPublisher } from '@beacon/cluster';
import { probeOptionsFrom } from './probeOptions.js';

/** Options of {@link startCollector}. */
export interface CollectorOptions {
  config: BeaconConfig;
  /** Overrides `data_plane.interface`. */
  interface?: string | undefined;
  nodeId: string;
  /** Base URL of the control plane. */
  baseUrl: string;
  token?: string | undefined;
  /** Start-up lines and state changes (control plane lost / back). */
  log: (line: string) => void;
  /** Retry delays (tests shorten them). */
  backoff?: BackoffOptions;
  /** Publish to a cluster's JetStream stream (`--nats`) instead of `baseUrl`. */
  publisher?: EventPublisher | undefined;
}

/** Counters of a running collector. */
export interface CollectorStats extends ExporterStats {
  /** Events the probe delivered. */
  eventsSeen: number;
  /** Events dropped by the allowlist before buffering. */
  eventsAllowlisted: number;
  /** Events waiting in the buffer. */
  buffered: number;
  /** `data_plane_stats.events_dropped_ebpf`: records the kernel dropped (ring buffer full). */
  eventsDroppedEbpf: number;
  /** `data_plane_stats.events_dropped_overflow`: events the full buffer dropped. */
  eventsDroppedOverflow: number;
  /** The probe's own counters. */
  probe: ProbeCounters;
  /** Set while the control plane is unreachable. */
  lastError?: string | undefined;
}

/** A running collector: probe -> allowlist -> bounded buffer -> telemetry exporter. */
export interface Collector {
  readonly attachMode: string;
  stats(): CollectorStats;
  /** Closes the probe, then makes one last attempt to deliver what is buffered. */
  stop(): Promise<CollectorStats>;
}

/**
 * Starts the data-plane collector: opens the probe on the configured interface, filters events
 * through the `whitelist:` section, buffers up to `max_buffer_size` events (dropping and
 * counting the oldest beyond it), and exports every `export_interval` seconds, or as soon as a
 * full batch is waiting. While the control plane is away it retries with backoff.
 * @throws `ProbeError` when the probe cannot be opened (named reason and fix)
 */
export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const { config, log } = options;
  const dp = config.data_plane;
  const w = config.whitelist;
  // The detector's own rules, so the collector drops exactly what a control plane would.
  const allowlist = createAllowlist({
    sourceIps: w.source_ips,
    destinationIps: w.destination_ips,
    destinationPorts: [...w.ports, ...w.destination_ports],
    pairs: w.pairs,
    serverNames: w.server_names,
  });
  const buffer = new EventBuffer(dp.max_buffer_size);
  // Events reach JS only through listeners, attached below in the same tick: none are missed.
  const probe: Probe = await openProbe(probeOptionsFrom(dp, options.interface, options.nodeId, log));
  let eventsSeen = 0;
  let eventsAllowlisted = 0;
  const ebpfDrops = (): number => probe.counters().ringbufDrops;
  const exporter = options.publisher
    ? new JetStreamExporter(buffer, { publisher: options.publisher, nodeId: options.nodeId, dataPlaneStats: () => ({ events_dropped_ebpf: ebpfDrops(), events_dropped_overflow: buffer.overflow }), log, ...(options.backoff ? { backoff: options.backoff } : {}) })
    : new TelemetryExporter(buffer, {
    baseUrl: options.baseUrl,
    token: options.token,
    nodeId: options.nodeId,
    maxBatchBytes: dp.max_batch_bytes,
    timeoutMs: dp.connection_timeout * 1000,
    dataPlaneStats: () => ({ events_dropped_ebpf: ebpfDrops(), events_dropped_overflow: buffer.overflow }),
    log,
    // Never retry more slowly than the regular export cadence (capped at 30 s): a control plane
    // that comes back is fed again within one export interval.
    backoff: options.backoff ?? { initialMs: Math.min(500, dp.export_interval * 250), maxMs: Math.min(30_000, Math.max(1000, dp.export_interval * 1000)) },
  });

  let exporting: Promise<void> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const exportNow = (): Promise<void> => {
    if (exporting) return exporting;
    exporting = (async () => {
      try {
        const drained = await exporter.flush();
        if (!drained && !stopped) {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => void exportNow(), Math.max(0, exporter.retryAt - Date.now()));
        }
      } catch (error) {
        log(`telemetry export failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        exporting = undefined;
      }
    })();
    return exporting;
  };
  const onBatch = (events: ConnectionEvent[]): void => {
    eventsSeen += events.length;
    const kept = allowlist.empty ? events : events.filter((e) => !allowlist.matches(e.srcIp, e.dstIp, e.dstPort) && !(e.serverName !== undefined && allowlist.matchesName(e.serverName)));
    eventsAllowlisted += events.length - kept.length;
    buffer.push(kept);
    // A full batch is waiting: send it now rather than at the next tick (not while backing off).
    if (buffer.length >= exporter.eventsPerBatch && Date.now() >= exporter.retryAt) void exportNow();
  };

  probe.on('batch', onBatch);
  probe.on('error', (error) => log(`probe error: ${error.message}`));
  const tick = setInterval(() => {
    if (Date.now() >= exporter.retryAt) void exportNow();
  }, dp.export_interval * 1000);

  const stats = (): CollectorStats => ({
    ...exporter.stats,
    eventsSeen,
    eventsAllowlisted,
    buffered: buffer.length,
    eventsDroppedEbpf: ebpfDrops(),
    eventsDroppedOverflow: buffer.overflow,
    probe: probe.counters(),
    lastError: exporter.lastError,
  });
  return {
    attachMode: probe.attachMode,
    stats,
    async stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(tick);
        clearTimeout(retryTimer);
        await probe.close(); // delivers the records still queued into the buffer
        await exporting;
        if (buffer.length > 0) await exportNow(); // one last attempt, bounded by connection_timeout per request
      }
      return stats();
    },
  };
}

/** One line of collector counters for stderr. */
export function formatCollectorStats(s: CollectorStats): string {
  const line =
    `events ${s.eventsSeen} sent ${s.eventsSent} (${s.batchesSent} batches) buffered ${s.buffered} ` +
    `allowlisted ${s.eventsAllowlisted} dropped ebpf ${s.eventsDroppedEbpf} overflow ${s.eventsDroppedOverflow} ` +
    `failed requests ${s.requestsFailed}`;
  return s.lastError ? `${line} [control plane away: ${s.lastError}]` : line;
}
