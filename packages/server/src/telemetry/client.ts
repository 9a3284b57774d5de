import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';

const gzip = promisify(gzipCb);

/** Options of {@link TelemetryClient}. */
export interface TelemetryClientOptions {
  /** Base URL of the control plane, e.g. `http://127.0.0.1:9090` (no trailing slash needed). */
  baseUrl: string;
  /** `X-Node-ID` header of every request (the data plane's `node_id`). */
  nodeId: string;
  /** Bearer token (`control_plane.api_key`); no `Authorization` header when empty. */
  token?: string | undefined;
  /** Per-request timeout, milliseconds. @default 10000 */
  timeoutMs?: number;
  /** Bodies longer than this many characters are sent gzip-compressed. @default 1024 */
  gzipAbove?: number;
}

/** What one POST of a telemetry body came to. */
export type TelemetryPostResult =
  /** 2xx: the control plane took the batch; `received`/`rejected` are its per-event counts. */
  | { kind: 'accepted'; status: number; bytes: number; received: number; rejected: number }
  /** 413: the body is larger than the control plane accepts; re-split and send again. */
  | { kind: 'too_large'; status: 413; detail: string }
  /** 400/422: the batch is malformed; sending it again will not help. */
  | { kind: 'refused'; status: number; detail: string }
  /** Network error, timeout, or any other status (5xx, 429, 401/403, 404...): keep the events and retry after a backoff. */
  | { kind: 'failed'; status?: number; detail: string };

/**
 * The one HTTP client of the telemetry protocol (`POST /api/v1/telemetry`), used by the data
 * plane's exporter and by the simulator: the node id and bearer token headers, gzip above
 * `gzipAbove` characters, a timeout per request, and every outcome classified so the caller
 * decides what to retry. It never throws for an HTTP or network failure.
 * @example
 * const client = new TelemetryClient({ baseUrl: 'http://127.0.0.1:9090', nodeId: 'sensor-1' });
 * for (const body of encodeTelemetryBatches(events, { nodeId: 'sensor-1' })) {
 *   const r = await client.post(body);
 *   if (r.kind !== 'accepted') console.error(r.detail);
 * }
 */
export class TelemetryClient {
  /** The endpoint, `<baseUrl>/api/v1/telemetry`. */
  readonly url: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #gzipAbove: number;

  constructor(options: TelemetryClientOptions) {
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/telemetry`;
    this.#headers = { 'content-type': 'application/json', 'x-node-id': options.nodeId };
    if (options.token) this.#headers.authorization = `Bearer ${options.token}`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#gzipAbove = options.gzipAbove ?? 1024;
  }

  /** POSTs one encoded batch (a body from `encodeTelemetryBatches`) and says how it went. */
  async post(body: string, signal?: AbortSignal): Promise<TelemetryPostResult> {
    const headers = { ...this.#headers };
    let payload: Buffer | string = body;
    if (body.length > this.#gzipAbove) {
      payload = await gzip(body);
      headers['content-encoding'] = 'gzip';
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.url, { method: 'POST', headers, body: payload, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      text = await res.text();
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      return { kind: 'failed', detail: `${this.url} unreachable: ${cause}` };
    }
    const status = res.status;
    if (res.ok) {
      let received = 0;
      let rejected = 0;
      try {
        const r = JSON.parse(text) as { events_received?: unknown; events_rejected?: unknown };
        if (typeof r.events_received === 'number') received = r.events_received;
        if (typeof r.events_rejected === 'number') rejected = r.events_rejected;
      } catch {
        // an accepting server that does not report counts (the original's data plane API) is fine
      }
      return { kind: 'accepted', status, bytes: payload.length, received, rejected };
    }
    if (status === 413) return { kind: 'too_large', status, detail: `${this.url} answered 413: the batch is too large` };
    if (status === 400 || status === 422) {
      return { kind: 'refused', status, detail: `${this.url} refused the batch (${status}): ${text.slice(0, 200)}` };
    }
    return { kind: 'failed', status, detail: `${this.url} answered ${status}${status === 401 || status === 403 ? ' (check the API token)' : ''}` };
  }
}
