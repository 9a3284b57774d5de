import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { ConnectionEvent } from '@beacon/detector';
import { encodeTelemetryBatches } from '@beacon/server';
import { baseUrl, type ClientOptions } from '../internal/client.js';

const gzip = promisify(gzipCb);

/** Counters of a telemetry sender. */
export interface SenderStats {
  eventsSent: number;
  eventsRejected: number;
  batchesSent: number;
  requestsFailed: number;
}

/** Options of {@link TelemetrySender}. */
export interface SenderOptions extends ClientOptions {
  nodeId: string;
  /** Largest JSON body, bytes, before gzip. @default 1048576 */
  maxBatchBytes?: number;
  /** Attempts per batch before it is given up (and counted). @default 5 */
  attempts?: number;
}

/**
 * Posts events to a control plane's /api/v1/telemetry: gzip bodies (above 1 KiB), the bearer
 * token, batches split to stay under the server's limit, retries with backoff.
 */
export class TelemetrySender {
  readonly stats: SenderStats = { eventsSent: 0, eventsRejected: 0, batchesSent: 0, requestsFailed: 0 };
  constructor(private readonly options: SenderOptions) {}

  /** Sends events; resolves when every batch was accepted or given up. */
  async send(events: readonly ConnectionEvent[], dataPlaneStats?: { events_dropped_ebpf: number; events_dropped_overflow: number }): Promise<void> {
    if (events.length === 0) return;
    const bodies = encodeTelemetryBatches(events, { nodeId: this.options.nodeId, maxBytes: this.options.maxBatchBytes ?? 1024 * 1024, ...(dataPlaneStats ? { stats: dataPlaneStats } : {}) });
    for (const body of bodies) await this.post(body);
  }

  private async post(body: string): Promise<void> {
    const url = `${baseUrl(this.options)}/api/v1/telemetry`;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-node-id': this.options.nodeId };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let payload: Buffer | string = body;
    if (body.length > 1024) {
      payload = await gzip(body);
      headers['content-encoding'] = 'gzip';
    }
    const attempts = this.options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
        const text = await res.text();
        if (res.ok) {
          const r = JSON.parse(text) as { events_received?: number; events_rejected?: number };
          this.stats.eventsSent += r.events_received ?? 0;
          this.stats.eventsRejected += r.events_rejected ?? 0;
          this.stats.batchesSent++;
          return;
        }
        // 4xx other than 429 will not get better by retrying.
        if (res.status < 500 && res.status !== 429) throw new Error(`telemetry refused: ${res.status} ${text.slice(0, 200)}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('telemetry refused')) {
          this.stats.requestsFailed++;
          throw error;
        }
      }
      this.stats.requestsFailed++;
      if (attempt >= attempts) throw new Error(`telemetry to ${url} failed after ${attempts} attempts`);
      await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
  }
}
