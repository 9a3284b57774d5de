import type { Alert } from './alert.js';
import type { AlertingError } from './alertingError.js';
import type { AlertSeverity } from './severity.js';
import type { AlertSink } from './alertSink.js';

/** Options of the {@link AlertDispatcher}. */
export interface AlertDispatcherOptions {
  /** Where alerts go. Names must be unique. An empty list is allowed (alerts are only kept in `recent`). */
  sinks: readonly AlertSink[];
  /**
   * Most alerts waiting or in delivery at once; `enqueue` drops (and counts) beyond it.
   * @default 1000
   */
  queueSize?: number;
  /**
   * Most deliveries in flight at once per sink. 1 keeps each sink's order.
   * @default 1
   */
  concurrency?: number;
  /**
   * Longest one sink may take over one alert (retries included) before the delivery is
   * counted as failed with `TIMEOUT` and its `signal` is aborted.
   * @default 120000
   */
  sendTimeoutMs?: number;
  /**
   * How many recent alerts {@link AlertDispatcher.recent} can list.
   * @default 1000
   */
  recentSize?: number;
}

/** Delivery counters of one sink. */
export interface SinkStats {
  /** Alerts the sink confirmed delivered. */
  sent: number;
  /** Alerts the sink failed to deliver (including timeouts). Never counted in `sent`. */
  failed: number;
  /** Alerts the sink's `accepts` filter declined. */
  skipped: number;
  /** Alerts waiting for or in delivery to this sink. */
  pending: number;
}

/** A snapshot of the dispatcher's queue and counters (snake_case, as the API serves it). */
export interface DispatcherStats {
  /** Alerts not yet settled by every sink. */
  queue_size: number;
  queue_capacity: number;
  /** `queue_size / queue_capacity` as a percentage, 0-100, two decimals. */
  fill_percent: number;
  /** True when the queue is at least 80 % full. */
  backpressure: boolean;
  /** Alerts refused by `enqueue` (queue full, dispatcher closed or not an alert). */
  drops: number;
  /** Alerts every sink that took them delivered (at least one sink). */
  alerts_sent: number;
  /** Alerts at least one sink failed to deliver. */
  alerts_failed: number;
  /** Accepted alerts by severity. */
  alerts_by_severity: Record<AlertSeverity, number>;
  /** Alerts currently listed by `recent`. */
  recent_alerts_count: number;
  /** Exceptions thrown by event listeners (caught so delivery goes on). */
  listener_errors: number;
  /** Per-sink counters, keyed by sink name. */
  sinks: Record<string, SinkStats>;
}

/** Why `enqueue` refused an alert. */
export type DropReason = 'queue_full' | 'closed' | 'invalid';

/** Events of the {@link AlertDispatcher}, for `dispatcher.on(name, listener)`. */
export interface DispatcherEvents {
  /** One sink delivered one alert. */
  sent: (alert: Alert, sink: string) => void;
  /** One sink failed to deliver one alert. */
  failed: (alert: Alert, sink: string, error: AlertingError) => void;
  /** `enqueue` refused an alert. */
  dropped: (alert: unknown, reason: DropReason) => void;
  /** A sink's `flush` or `close` failed. */
  sinkError: (sink: string, error: AlertingError) => void;
}

/** Query of {@link AlertDispatcher.recent}. */
export interface RecentAlertsQuery {
  /**
   * Most alerts returned, applied after the severity filter.
   * @default 50
   */
  limit?: number;
  /** Only alerts of this severity. */
  severity?: AlertSeverity;
}

