import { Backoff, type BackoffOptions } from '@beacon/alerting';
import { encodeTelemetryBatches, TelemetryClient, type DataPlaneStats } from '@beacon/server';
import type { EventBuffer } from './eventBuffer.js';

/** Options of {@link TelemetryExporter}. */
export interface ExporterOptions {
  /** Base URL of the control plane, e.g. `http://127.0.0.1:9090`. */
  baseUrl: string;
  /** Bearer token (`control_plane.api_key`). */
  token?: string | undefined;
  /** `node_id` of every batch and the `X-Node-ID` header. */
  nodeId: string;
  /** Largest JSON body before gzip (`data_plane.max_batch_bytes`). */
  maxBatchBytes: number;
  /** Per-request timeout, milliseconds (`data_plane.connection_timeout`). */
  timeoutMs: number;
  /** The cumulative drop counters sent with every batch, read at send time. */
  dataPlaneStats: () => DataPlaneStats;
  /** Retry delays while the control plane is away. */
  backoff?: BackoffOptions;
  /** Where state changes (control plane lost / back) are reported. */
  log?: (line: string) => void;
}

/** Counters of a {@link TelemetryExporter}. */
export interface ExporterStats {
  eventsSent: number;
  batchesSent: number;
  /** Requests that failed (network, timeout, 5xx, 429, 401/403); their events stayed buffered. */
  requestsFailed: number;
  /** Events the control plane refused as malformed (400/422): given up and counted. */
  eventsRefused: number;
  /** Bytes on the wire (after gzip). */
  bytesSent: number;
}

/** Events encoded per round; each round is split into bodies no larger than maxBatchBytes. */
const EVENTS_PER_ROUND = 20_000;
const MIN_BATCH_BYTES = 16 * 1024;

/**
 * Drains an {@link EventBuffer} to POST /api/v1/telemetry: batches no larger than
 * `maxBatchBytes` (halved when a server still answers 413), gzip above 1 KiB, the bearer token,
 * `data_plane_stats` in every batch. Events leave the buffer only once accepted; after a
 * failure the exporter waits out an exponential backoff with jitter (`retryAt`), while the
 * buffer keeps filling and counting its overflow.
 */
export class TelemetryExporter {
  readonly stats: ExporterStats = { eventsSent: 0, batchesSent: 0, requestsFailed: 0, eventsRefused: 0, bytesSent: 0 };
  /** Epoch milliseconds before which no attempt should be made (0 when healthy). */
  retryAt = 0;
  /** The last failure, for the stats line; undefined while healthy. */
  lastError: string | undefined;
  private readonly backoff: Backoff;
  private readonly client: TelemetryClient;
  private maxBatchBytes: number;

  constructor(
    private readonly buffer: EventBuffer,
    private readonly options: ExporterOptions,
  ) {
    this.backoff = new Backoff(options.backoff);
    this.client = new TelemetryClient({ baseUrl: options.baseUrl, nodeId: options.nodeId, token: options.token, timeoutMs: options.timeoutMs });
    this.maxBatchBytes = options.maxBatchBytes;
  }

  /** Events a full batch holds, roughly (wire events are 300-450 bytes): the early-export mark. */
  get eventsPerBatch(): number {
    return Math.max(1, Math.floor(this.maxBatchBytes / 450));
  }

  /**
   * Sends batches until the buffer is empty or a request fails. Resolves to true when
   * everything buffered at the start was delivered (or refused), false after a failure.
   */
  async flush(): Promise<boolean> {
    while (this.buffer.length > 0) {
      const slice = this.buffer.peek(EVENTS_PER_ROUND);
      let seq = slice.end - slice.events.length;
      const bodies = encodeTelemetryBatches(slice.events, { nodeId: this.options.nodeId, maxBytes: this.maxBatchBytes, stats: this.options.dataPlaneStats() });
      for (const body of bodies) {
        // The codec writes event_count into the envelope's head: how many buffered events this body carries.
        const count = Number(/"event_count":(\d+)/.exec(body.slice(0, 400))?.[1] ?? 0);
        const outcome = await this.post(body);
        if (outcome === 'retry') return false;
        if (outcome === 'too_large') break; // re-encode the rest with the smaller limit
        if (outcome === 'refused') this.stats.eventsRefused += count;
        else {
          this.stats.eventsSent += count;
          this.stats.batchesSent++;
        }
        seq += count;
        this.buffer.ack(seq);
      }
    }
    return true;
  }

  private async post(body: string): Promise<'ok' | 'refused' | 'too_large' | 'retry'> {
    const r = await this.client.post(body);
    if (r.kind === 'accepted') {
      this.stats.bytesSent += r.bytes;
      this.healthy();
      return 'ok';
    }
    if (r.kind === 'too_large' && this.maxBatchBytes > MIN_BATCH_BYTES) {
      this.maxBatchBytes = Math.max(MIN_BATCH_BYTES, Math.floor(this.maxBatchBytes / 2));
      this.options.log?.(`control plane refused a batch as too large; batches now at most ${this.maxBatchBytes} bytes`);
      return 'too_large';
    }
    if (r.kind === 'refused') {
      this.options.log?.(`control plane ${r.detail.slice(r.detail.indexOf('refused'))}`);
      this.healthy();
      return 'refused';
    }
    const problem = r.detail;
    this.stats.requestsFailed++;
    const delay = this.backoff.fail();
    this.retryAt = Date.now() + delay;
    if (this.lastError === undefined) this.options.log?.(`control plane lost: ${problem}; retrying with backoff`);
    this.lastError = problem;
    return 'retry';
  }

  private healthy(): void {
    if (this.lastError !== undefined) this.options.log?.('control plane reachable again');
    this.lastError = undefined;
    this.backoff.reset();
    this.retryAt = 0;
  }
}
