import { EventEmitter } from 'eventemitter3';
import type { Alert } from './alert.js';
import { AlertingError, toAlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';
import type {
  AlertDispatcherOptions,
  DispatcherEvents,
  DispatcherStats,
  DropReason,
  RecentAlertsQuery,
  SinkStats,
} from './dispatcherTypes.js';
import { Ring } from './internal/ring.js';
import { sendWithTimeout } from './internal/sendWithTimeout.js';
import { positiveInteger } from './internal/validate.js';
import { ALERT_SEVERITIES, isAlertSeverity, type AlertSeverity } from './severity.js';

interface Entry {
  alert: Alert;
  remaining: number;
  sent: number;
  failed: boolean;
  done: () => void;
}

interface Lane {
  sink: AlertSink;
  queue: Entry[];
  inFlight: number;
  stats: SinkStats;
}

/**
 * Fans alerts out to every sink through a bounded queue. `enqueue` never blocks and never
 * throws: when the queue is full the alert is dropped and counted. Each sink is delivered to
 * independently, so a slow or failing sink never holds up the others; every outcome is
 * counted per sink and reported as an event, and a failure is never counted as sent.
 *
 * @example
 * ```ts
 * const dispatcher = new AlertDispatcher({ sinks: [new ConsoleSink(), new FileSink({ path: 'alerts.json' })] });
 * dispatcher.on('failed', (alert, sink, err) => log.warn({ sink, code: err.code }, err.message));
 * dispatcher.enqueue(createAlert(item));
 * await dispatcher.close(); // delivers what is queued, then closes the sinks
 * ```
 */
export class AlertDispatcher extends EventEmitter<DispatcherEvents> {
  readonly #lanes: Lane[];
  readonly #capacity: number;
  readonly #concurrency: number;
  readonly #sendTimeoutMs: number;
  readonly #recent: Ring<Alert>;
  readonly #pending = new Set<Promise<void>>();
  readonly #bySeverity = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, 0])) as Record<AlertSeverity, number>;
  #size = 0;
  #drops = 0;
  #alertsSent = 0;
  #alertsFailed = 0;
  #listenerErrors = 0;
  #closing: Promise<void> | undefined;

  constructor(options: AlertDispatcherOptions) {
    super();
    const { sinks, queueSize = 1000, concurrency = 1, sendTimeoutMs = 120_000, recentSize = 1000 } = options;
    if (!Array.isArray(sinks)) throw new AlertingError('INVALID_OPTIONS', 'AlertDispatcher: sinks must be an array of AlertSink');
    const names = new Set<string>();
    for (const [i, sink] of sinks.entries()) {
      if (typeof sink?.send !== 'function' || typeof sink.close !== 'function' || typeof sink.name !== 'string' || sink.name === '') {
        throw new AlertingError('INVALID_OPTIONS', `AlertDispatcher: sinks[${i}] is not an AlertSink (needs name, send, close)`);
      }
      if (names.has(sink.name)) throw new AlertingError('INVALID_OPTIONS', `AlertDispatcher: two sinks are named "${sink.name}"; names must be unique`);
      names.add(sink.name);
    }
    this.#capacity = positiveInteger('AlertDispatcher', 'queueSize', queueSize);
    this.#concurrency = positiveInteger('AlertDispatcher', 'concurrency', concurrency);
    this.#sendTimeoutMs = positiveInteger('AlertDispatcher', 'sendTimeoutMs', sendTimeoutMs);
    this.#recent = new Ring(positiveInteger('AlertDispatcher', 'recentSize', recentSize, { allowZero: true }));
    this.#lanes = sinks.map((sink) => ({ sink, queue: [], inFlight: 0, stats: { sent: 0, failed: 0, skipped: 0, pending: 0 } }));
  }

  /** True once {@link AlertDispatcher.close} was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Queues an alert for every sink. Returns false (and emits `dropped`) when the queue is
   * full, the dispatcher is closed, or `alert` is not an alert object. Never throws.
   */
  enqueue(alert: Alert): boolean {
    if (this.#closing) return this.#drop(alert, 'closed');
    if (typeof alert !== 'object' || alert === null || !isAlertSeverity(alert.severity)) return this.#drop(alert, 'invalid');
    this.#recent.push(alert);
    if (this.#size >= this.#capacity) return this.#drop(alert, 'queue_full');
    this.#size += 1;
    this.#bySeverity[alert.severity] += 1;
    let done!: () => void;
    const settled = new Promise<void>((resolve) => (done = resolve));
    this.#pending.add(settled);
    const entry: Entry = { alert, remaining: this.#lanes.length, sent: 0, failed: false, done };
    void settled.then(() => this.#pending.delete(settled));
    if (entry.remaining === 0) this.#settle(entry);
    for (const lane of this.#lanes) {
      lane.queue.push(entry);
      lane.stats.pending += 1;
      this.#pump(lane);
    }
    return true;
  }

  /** Waits until every alert enqueued so far is settled by every sink, then flushes the sinks. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
    await Promise.all(
      this.#lanes.map(async ({ sink }) => {
        if (typeof sink.flush !== 'function') return;
        try {
          await sink.flush();
        } catch (error) {
          this.#emit('sinkError', sink.name, toAlertingError(error, sink.name));
        }
      }),
    );
  }

  /** Stops accepting alerts, delivers what is queued, then closes every sink. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.flush();
      await Promise.all(
        this.#lanes.map(async ({ sink }) => {
          try {
            await sink.close();
          } catch (error) {
            this.#emit('sinkError', sink.name, toAlertingError(error, sink.name));
          }
        }),
      );
    })();
    return this.#closing;
  }

  /** A snapshot of the queue and counters. */
  stats(): DispatcherStats {
    const fill = (this.#size / this.#capacity) * 100;
    return {
      queue_size: this.#size,
      queue_capacity: this.#capacity,
      fill_percent: Math.round(fill * 100) / 100,
      backpressure: this.#size >= this.#capacity * 0.8,
      drops: this.#drops,
      alerts_sent: this.#alertsSent,
      alerts_failed: this.#alertsFailed,
      alerts_by_severity: { ...this.#bySeverity },
      recent_alerts_count: this.#recent.size,
      listener_errors: this.#listenerErrors,
      sinks: Object.fromEntries(this.#lanes.map((l) => [l.sink.name, { ...l.stats }])),
    };
  }

  /**
   * Recent alerts given to `enqueue` (dropped ones included: they were raised even if a sink
   * never got them), newest first. The severity filter applies before the limit.
   */
  recent(query: RecentAlertsQuery = {}): Alert[] {
    const { limit = 50, severity } = query;
    positiveInteger('AlertDispatcher.recent', 'limit', limit, { allowZero: true });
    if (severity !== undefined && !isAlertSeverity(severity)) {
      throw new AlertingError('INVALID_OPTIONS', `AlertDispatcher.recent: severity must be one of ${ALERT_SEVERITIES.join(', ')} (got ${String(severity)})`);
    }
    const all = this.#recent.newestFirst();
    return (severity === undefined ? all : all.filter((a) => a.severity === severity)).slice(0, limit);
  }

  /**
   * The lifetime counters as one flat map, for saving: `alerts_sent`, `alerts_failed`, `drops`,
   * `listener_errors`, `alerts_by_severity.<SEVERITY>` and `sinks.<name>.sent|failed|skipped`.
   * {@link AlertDispatcher.restoreCounters} takes it back after a restart.
   */
  counters(): Record<string, number> {
    const out: Record<string, number> = {
      alerts_sent: this.#alertsSent,
      alerts_failed: this.#alertsFailed,
      drops: this.#drops,
      listener_errors: this.#listenerErrors,
    };
    for (const s of ALERT_SEVERITIES) out[`alerts_by_severity.${s}`] = this.#bySeverity[s];
    for (const { sink, stats } of this.#lanes) {
      out[`sinks.${sink.name}.sent`] = stats.sent;
      out[`sinks.${sink.name}.failed`] = stats.failed;
      out[`sinks.${sink.name}.skipped`] = stats.skipped;
    }
    return out;
  }

  /**
   * Adds counters saved by {@link AlertDispatcher.counters} (before a restart) to this
   * dispatcher's, so totals continue rather than restart at 0. Names it does not know (a sink no
   * longer configured) are skipped and returned.
   * @throws {@link AlertingError} `INVALID_OPTIONS` naming the counter when a value is not a
   * non-negative integer; nothing is applied then.
   */
  restoreCounters(saved: Readonly<Record<string, number>>): string[] {
    const lanes = new Map(this.#lanes.map((l) => [l.sink.name, l.stats]));
    const apply: Array<() => void> = [];
    const unknown: string[] = [];
    for (const [name, value] of Object.entries(saved)) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new AlertingError('INVALID_OPTIONS', `AlertDispatcher.restoreCounters: ${name} must be a non-negative integer (got ${String(value)})`);
      }
      if (name === 'alerts_sent') apply.push(() => (this.#alertsSent += value));
      else if (name === 'alerts_failed') apply.push(() => (this.#alertsFailed += value));
      else if (name === 'drops') apply.push(() => (this.#drops += value));
      else if (name === 'listener_errors') apply.push(() => (this.#listenerErrors += value));
      else if (name.startsWith('alerts_by_severity.') && isAlertSeverity(name.slice(19))) {
        const sev = name.slice(19) as AlertSeverity;
        apply.push(() => (this.#bySeverity[sev] += value));
      } else {
        const m = /^sinks\.(.+)\.(sent|failed|skipped)$/.exec(name);
        const stats = m ? lanes.get(m[1] as string) : undefined;
        if (m && stats) {
          const field = m[2] as 'sent' | 'failed' | 'skipped';
          apply.push(() => (stats[field] += value));
        } else unknown.push(name);
      }
    }
    for (const f of apply) f();
    return unknown;
  }

  /** Adds alerts restored from storage to the recent list (oldest first); they are not delivered. */
  restoreRecent(alerts: readonly Alert[]): void {
    for (const alert of alerts) this.#recent.push(alert);
  }

  /** Empties the recent list (`DELETE /api/v1/alerts`). Counters are kept. */
  clearRecent(): void {
    this.#recent.clear();
  }

  #drop(alert: unknown, reason: DropReason): false {
    this.#drops += 1;
    this.#emit('dropped', alert, reason);
    return false;
  }

  #pump(lane: Lane): void {
    while (lane.inFlight < this.#concurrency && lane.queue.length > 0) {
      const entry = lane.queue.shift() as Entry;
      lane.inFlight += 1;
      void this.#deliver(lane, entry);
    }
  }

  async #deliver(lane: Lane, entry: Entry): Promise<void> {
    const { sink, stats } = lane;
    try {
      if (typeof sink.accepts === 'function' && !sink.accepts(entry.alert)) {
        stats.skipped += 1;
        return;
      }
      await sendWithTimeout(sink, entry.alert, this.#sendTimeoutMs);
      stats.sent += 1;
      entry.sent += 1;
      this.#emit('sent', entry.alert, sink.name);
    } catch (error) {
      stats.failed += 1;
      entry.failed = true;
      this.#emit('failed', entry.alert, sink.name, toAlertingError(error, sink.name));
    } finally {
      stats.pending -= 1;
      lane.inFlight -= 1;
      this.#settle(entry);
      this.#pump(lane);
    }
  }

  #settle(entry: Entry): void {
    if (entry.remaining > 0) entry.remaining -= 1;
    if (entry.remaining > 0) return;
    this.#size -= 1;
    if (entry.failed) this.#alertsFailed += 1;
    else if (entry.sent > 0) this.#alertsSent += 1;
    entry.done();
  }

  #emit<K extends keyof DispatcherEvents>(event: K, ...args: Parameters<DispatcherEvents[K]>): void {
    try {
      (this.emit as (e: K, ...a: Parameters<DispatcherEvents[K]>) => boolean)(event, ...args);
    } catch {
      this.#listenerErrors += 1;
    }
  }
}
