import type { Alert } from './alert.js';

/**
 * A destination for alerts. Implement this to add your own; the
 * {@link AlertDispatcher} calls it and counts every outcome.
 *
 * `send` resolves only when the alert was delivered and rejects when it was not: a sink
 * must never swallow its own failures, or they would be counted as sent.
 *
 * @example
 * ```ts
 * const sink: AlertSink = {
 *   name: 'stderr',
 *   async send(alert) { process.stderr.write(`${alert.title}\n`); },
 *   async close() {},
 * };
 * ```
 */
export interface AlertSink {
  /** Unique among the sinks of one dispatcher; used in stats and events. */
  readonly name: string;
  /**
   * Delivers one alert. `signal` aborts when the dispatcher gives up on this delivery
   * (its timeout) or is closed; long-running sinks should stop early when it fires.
   */
  send(alert: Alert, signal?: AbortSignal): Promise<void>;
  /** Optional filter: alerts for which this returns false are skipped, not sent. */
  accepts?(alert: Alert): boolean;
  /** Pushes out anything buffered. Optional. */
  flush?(): Promise<void>;
  /** Releases sockets and files. Sending after `close` rejects with `SINK_CLOSED`. */
  close(): Promise<void>;
}
