import type { EventPublisher } from '@beacon/cluster';
import type { DataPlaneStats } from '@beacon/server';
import { Backoff, type BackoffOptions } from '@beacon/alerting';
import type { EventBuffer } from './eventBuffer.js';
import type { ExporterStats } from './exporter.js';

/** Options of {@link JetStreamExporter}. */
export interface JetStreamExporterOptions {
  publisher: EventPublisher;
  nodeId: string;
  /** The cumulative drop counters, sent with every batch. */
  dataPlaneStats: () => DataPlaneStats;
  backoff?: BackoffOptions;
  log?: (line: string) => void;
}

const EVENTS_PER_ROUND = 20_000;

/**
 * The collector's exporter for `--nats`: drains the buffer straight into the cluster's
 * JetStream stream instead of a control plane's HTTP endpoint. Events leave the buffer only
 * once JetStream acknowledged them; a failure backs off (`retryAt`) and the retry carries the
 * same message ids, so what was stored before the failure is not stored twice.
 */
export class JetStreamExporter {
  readonly stats: ExporterStats = { eventsSent: 0, batchesSent: 0, requestsFailed: 0, eventsRefused: 0, bytesSent: 0 };
  /** Epoch milliseconds before which no attempt should be made (0 when healthy). */
  retryAt = 0;
  lastError: string | undefined;
  readonly #backoff: Backoff;
  #batch = 0;
  #batchId = '';

  constructor(
    private readonly buffer: EventBuffer,
    private readonly options: JetStreamExporterOptions,
  ) {
    this.#backoff = new Backoff(options.backoff);
  }

  /** Events worth exporting at once. */
  get eventsPerBatch(): number {
    return EVENTS_PER_ROUND;
  }

  /** Publishes until the buffer is empty (true) or JetStream fails (false, backing off). */
  async flush(): Promise<boolean> {
    while (this.buffer.length > 0) {
      const slice = this.buffer.peek(EVENTS_PER_ROUND);
      // The same id for a retried slice: JetStream drops the messages it already has.
      const id = this.#batchId || (this.#batchId = `${this.options.nodeId}-${process.pid}-${Date.now()}-${this.#batch++}`);
      try {
        await this.options.publisher.publish(slice.events, { batchId: id, nodeId: this.options.nodeId, dataPlaneStats: this.options.dataPlaneStats() });
      } catch (error) {
        this.stats.requestsFailed++;
        this.retryAt = Date.now() + this.#backoff.fail();
        const problem = `JetStream unavailable: ${(error as Error).message}`;
        if (this.lastError === undefined) this.options.log?.(`${problem}; retrying with backoff`);
        this.lastError = problem;
        return false;
      }
      this.#batchId = '';
      this.stats.eventsSent += slice.events.length;
      this.stats.batchesSent++;
      this.buffer.ack(slice.end);
      if (this.lastError !== undefined) this.options.log?.('JetStream reachable again');
      this.lastError = undefined;
      this.#backoff.reset();
      this.retryAt = 0;
    }
    return true;
  }
}
