import type { Alert } from './alert.js';
import { AlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';

/** The part of a writable stream the {@link ConsoleSink} uses (`process.stdout` fits). */
export interface LineWriter {
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

/** Options of the {@link ConsoleSink}. */
export interface ConsoleSinkOptions {
  /**
   * Where lines go.
   * @default process.stdout
   */
  stream?: LineWriter;
  /**
   * `text`: one readable line per alert; `json`: the alert as one JSON line.
   * @default 'text'
   */
  format?: 'text' | 'json';
  /**
   * Sink name.
   * @default 'console'
   */
  name?: string;
}

/**
 * Writes one line per alert, without colour codes, e.g.
 * `2025-01-01T00:00:00.000Z HIGH Beaconing Detected: 10.0.0.5 -> 203.0.113.9:443 score=0.874 id=beacon-...`.
 */
export class ConsoleSink implements AlertSink {
  readonly name: string;
  readonly #stream: LineWriter;
  readonly #format: 'text' | 'json';
  #closed = false;

  constructor(options: ConsoleSinkOptions = {}) {
    const { stream = process.stdout, format = 'text', name = 'console' } = options;
    if (format !== 'text' && format !== 'json') {
      throw new AlertingError('INVALID_OPTIONS', `ConsoleSink: format must be "text" or "json" (got ${JSON.stringify(format)})`);
    }
    this.name = name;
    this.#stream = stream;
    this.#format = format;
  }

  /** Writes the line; resolves once the stream accepted it. */
  send(alert: Alert): Promise<void> {
    if (this.#closed) return Promise.reject(new AlertingError('SINK_CLOSED', `sink "${this.name}" is closed`, { sink: this.name }));
    const line = this.#format === 'json' ? JSON.stringify(alert) : formatConsoleLine(alert);
    return new Promise((resolve, reject) => {
      this.#stream.write(`${line}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Refuses further alerts; the stream is left open (it is usually stdout). */
  async close(): Promise<void> {
    this.#closed = true;
  }
}

/** The text line the {@link ConsoleSink} writes for an alert. */
export function formatConsoleLine(alert: Alert): string {
  const score = alert.details?.combined_score;
  const scoreText = typeof score === 'number' ? ` score=${score.toFixed(3)}` : '';
  return `${alert.timestamp} ${alert.severity.toUpperCase()} ${alert.title}${scoreText} id=${alert.alert_id}`;
}
