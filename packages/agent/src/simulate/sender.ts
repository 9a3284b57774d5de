import { Backoff, sleep } from '@beacon/alerting';
import type { ConnectionEvent } from '@beacon/detector';
import { encodeTelemetryBatches, TelemetryClient, type DataPlaneStats } from '@beacon/server';

/** Counters of a {@link TelemetrySender}. */
export interface SenderStats {
  eventsSent: number;
  eventsRejected: number;
  batchesSent: number;
  requestsFailed: number;
}

/** Options of {@link TelemetrySender}. */
export interface SenderOptions {
  /** Base URL of the control plane, e.g. `http://127.0.0.1:9090`. */
  baseUrl: string;
  /** Bearer token (`control_plane.api_key`). */
  token?: string | undefined;
  /** `node_id` of every batch and the `X-Node-ID` header. */
  nodeId: string;
  /** Per-request timeout, milliseconds. @default 10000 */
  timeoutMs?: number | undefined;
  /** Largest JSON body, bytes, before gzip. @default 1048576 */
  maxBatchBytes?: number;
  /** Attempts per batch before it is given up (and counted). @default 5 */
  attempts?: number;
  /** Retry delays between attempts. @default { initialMs: 200, maxMs: 5000 } */
  backoff?: { initialMs?: number; maxMs?: number };
}

/**
 * Sends events to a control plane the way a data plane does, for simulations and replays: the
 * {@link TelemetryClient} of `@beacon/server` (gzip, bearer token, node id), batches split to
 * stay under the server's limit, each batch retried with {@link Backoff} up to `attempts`
 * times. A batch the server refuses as malformed (4xx) is not retried: `send` rejects naming it.
 */
export class TelemetrySender {
  readonly stats: SenderStats = { eventsSent: 0, eventsRejected: 0, batchesSent: 0, requestsFailed: 0 };
  readonly #client: TelemetryClient;

  constructor(private readonly options: SenderOptions) {
    this.#client = new TelemetryClient({ baseUrl: options.baseUrl, nodeId: options.nodeId, token: options.token, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  }

  /** Sends events; resolves when every batch was accepted, rejects when one was refused or given up. */
  async send(events: readonly ConnectionEvent[], dataPlaneStats?: DataPlaneStats): Promise<void> {
    if (events.length === 0) return;
    const bodies = encodeTelemetryBatches(events, { nodeId: this.options.nodeId, maxBytes: this.options.maxBatchBytes ?? 1024 * 1024, ...(dataPlaneStats ? { stats: dataPlaneStats } : {}) });
    for (const body of bodies) await this.post(body);
  }

  private async post(body: string): Promise<void> {
    const attempts = this.options.attempts ?? 5;
    const backoff = new Backoff({ initialMs: 200, maxMs: 5000, ...this.options.backoff });
    for (let attempt = 1; ; attempt++) {
      const r = await this.#client.post(body);
      if (r.kind === 'accepted') {
        this.stats.eventsSent += r.received;
        this.stats.eventsRejected += r.rejected;
        this.stats.batchesSent++;
        return;
      }
      this.stats.requestsFailed++;
      // a malformed or oversized batch will not get better by retrying
      if (r.kind !== 'failed') throw new Error(`telemetry refused: ${r.detail}`);
      if (attempt >= attempts) throw new Error(`telemetry to ${this.#client.url} failed after ${attempts} attempts: ${r.detail}`);
      await sleep(backoff.fail());
    }
  }
}
