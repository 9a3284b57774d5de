import type { Detector } from '@beacon/detector';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { AlertQueue } from '../appDeps.js';
import type { ServerState } from './serverState.js';

/** The metrics the request path updates directly; the rest are read at scrape time. */
export interface LiveMetrics {
  httpRequests: Counter<'method' | 'route' | 'status'>;
}

/** Sets a counter to a total kept elsewhere (they only grow, so the counter stays monotonic). */
function setTotal(counter: Counter<string>, value: number, labels?: Record<string, string>): void {
  if (labels) counter.inc(labels, value);
  else counter.inc(value);
}

/**
 * Registers every metric in `registry`. The six names of the original come first; values are
 * read from the detector, the dispatcher and the server's counters when Prometheus scrapes.
 */
export function registerMetrics(registry: Registry, detector: Detector, state: ServerState, alerts: AlertQueue | undefined): LiveMetrics {
  const registers = [registry];
  // stats() walks every pair: read it once per scrape, not once per metric.
  let cached: { at: number; stats: ReturnType<Detector['stats']> } | undefined;
  const stats = (): ReturnType<Detector['stats']> => {
    const at = performance.now();
    if (!cached || at - cached.at > 250) cached = { at, stats: detector.stats() };
    return cached.stats;
  };
  const total = (name: string, help: string, read: () => number): void => {
    new Counter({
      name,
      help,
      registers,
      collect(this: Counter) {
        this.reset();
        setTotal(this, read());
      },
    });
  };
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers,
      collect(this: Gauge) {
        this.set(read());
      },
    });
  };
  const labelled = (name: string, help: string, label: string, read: () => Iterable<[string, number]>): void => {
    new Counter({
      name,
      help,
      labelNames: [label],
      registers,
      collect(this: Counter<string>) {
        this.reset();
        for (const [key, value] of read()) setTotal(this, value, { [label]: key });
      },
    });
  };

  total('beacon_detector_events_total', 'Telemetry events received by the control plane', () => state.eventsReceived);
  gauge('beacon_detector_pairs_active', 'Connection pairs currently tracked', () => stats().storage.pair_count);
  gauge('beacon_detector_analysis_duration_seconds', 'Duration of the last analysis run', () => state.lastAnalysisSeconds);
  total('beacon_detector_alerts_total', 'Alerts raised by the detector', () => stats().analyzer.total_alerts_generated);
  total('beacon_detector_buffer_overflow_total', 'Events data planes dropped because their export buffer was full', () => state.dropTotals().overflow);
  total('beacon_detector_ebpf_drops_total', 'Events data planes lost in the kernel ring buffer', () => state.dropTotals().ebpf);

  total('beacon_detector_nodes_evicted_total', 'Data plane nodes forgotten to stay within the cap on tracked nodes', () => state.nodesEvicted);
  total('beacon_detector_events_accepted_total', 'Telemetry events the detector took', () => state.eventsAccepted);
  labelled('beacon_detector_events_rejected_total', 'Telemetry events rejected, by reason', 'reason', () => state.eventsRejected);
  total('beacon_detector_events_dropped_total', 'Telemetry events dropped by the allowlist or a full history', () => state.eventsDropped);
  total('beacon_detector_batches_total', 'Telemetry batches processed', () => state.batchesProcessed);
  labelled('beacon_detector_batches_rejected_total', 'Telemetry batches refused, by HTTP status', 'status', () =>
    [...state.batchesRejected].map(([k, v]): [string, number] => [String(k), v]),
  );
  labelled('beacon_detector_evictions_total', 'State given up to stay within caps or retention', 'kind', () => Object.entries(stats().evictions));
  gauge('beacon_detector_beacons_known', 'Pairs currently known as beacons', () => stats().analyzer.current_known_beacons);
  total('beacon_detector_analysis_runs_total', 'Analysis runs', () => stats().analyzer.total_runs);
  gauge('beacon_detector_open_flows', 'Flows currently open (long-connection tracking)', () => stats().storage.open_flows);
  if (alerts) {
    gauge('beacon_detector_alert_queue_fill_percent', 'Alert queue fill, percent', () => alerts.stats().fill_percent);
    total('beacon_detector_alert_queue_drops_total', 'Alerts dropped by a full or closed queue', () => alerts.stats().drops);
    new Counter({
      name: 'beacon_detector_alert_deliveries_total',
      help: 'Alert deliveries by sink and outcome',
      labelNames: ['sink', 'outcome'],
      registers,
      collect(this: Counter<'sink' | 'outcome'>) {
        this.reset();
        for (const [sink, s] of Object.entries(alerts.stats().sinks)) {
          this.inc({ sink, outcome: 'sent' }, s.sent);
          this.inc({ sink, outcome: 'failed' }, s.failed);
          this.inc({ sink, outcome: 'skipped' }, s.skipped);
        }
      },
    });
  }
  const httpRequests = new Counter({
    name: 'beacon_detector_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  return { httpRequests };
}
