import type { Alert } from './alert.js';
import { AlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';

/** Options of the {@link MemorySink}. */
export interface MemorySinkOptions {
  /**
   * Sink name.
   * @default 'memory'
   */
  name?: string;
  /**
   * Most alerts kept; the oldest go first. 0 means no limit.
   * @default 0
   */
  maxAlerts?: number;
}

/**
 * Keeps alerts in an array: for tests and for embedding the detector in another program.
 *
 * @example
 * ```ts
 * const memory = new MemorySink();
 * const dispatcher = new AlertDispatcher({ sinks: [memory] });
 * dispatcher.enqueue(alert);
 * await dispatcher.flush();
 * memory.alerts; // [alert]
 * ```
 */
export class MemorySink implements AlertSink {
  readonly name: string;
  readonly #alerts: Alert[] = [];
  readonly #maxAlerts: number;
  #closed = false;

  constructor(options: MemorySinkOptions = {}) {
    const { name = 'memory', maxAlerts = 0 } = options;
    if (!Number.isInteger(maxAlerts) || maxAlerts < 0) {
      throw new AlertingError('INVALID_OPTIONS', `MemorySink: maxAlerts must be an integer >= 0 (got ${maxAlerts})`);
    }
    this.name = name;
    this.#maxAlerts = maxAlerts;
  }

  /** The alerts received, oldest first. */
  get alerts(): readonly Alert[] {
    return this.#alerts;
  }

  /** Stores the alert. Rejects with `SINK_CLOSED` after {@link MemorySink.close}. */
  async send(alert: Alert): Promise<void> {
    if (this.#closed) throw new AlertingError('SINK_CLOSED', `sink "${this.name}" is closed`, { sink: this.name });
    this.#alerts.push(alert);
    if (this.#maxAlerts > 0 && this.#alerts.length > this.#maxAlerts) this.#alerts.shift();
  }

  /** Forgets every stored alert. */
  clear(): void {
    this.#alerts.length = 0;
  }

  /** Refuses further alerts; stored ones stay readable. */
  async close(): Promise<void> {
    this.#closed = true;
  }
}
