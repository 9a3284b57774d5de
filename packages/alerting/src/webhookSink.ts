import os from 'node:os';
import type { Alert } from './alert.js';
import { AlertingError, isAlertingError } from './alertingError.js';
import type { AlertSink } from './alertSink.js';
import { Backoff, sleep } from './backoff.js';
import { positiveInteger } from './internal/validate.js';
import { VERSION } from './internal/version.js';
import { signWebhookPayload } from './signWebhookPayload.js';
import { checkAlertFormat, type JsonAlertFormat } from './formats/alertFormat.js';
import { renderAlertJson } from './formats/renderAlertJson.js';

const JSON_FORMATS: readonly JsonAlertFormat[] = ['beacon', 'ecs', 'ocsf'];

/** Options of the {@link WebhookSink}. */
export interface WebhookSinkOptions {
  /** http(s) URL the alert is POSTed to. */
  url: string;
  /** Extra request headers (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** Per-attempt timeout. @default 10000 */
  timeoutMs?: number;
  /** Retries after the first attempt, so up to `retries + 1` requests. @default 3 */
  retries?: number;
  /** First backoff ceiling; doubles each retry (full jitter). @default 500 */
  backoffBaseMs?: number;
  /** Largest backoff ceiling. @default 10000 */
  backoffMaxMs?: number;
  /** When set, each request carries `X-Beacon-Timestamp` and `X-Beacon-Signature` (see {@link signWebhookPayload}). */
  secret?: string;
  /** Sink name. @default 'webhook' */
  name?: string;
  /** `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Clock for the signature timestamp, in ms. @default Date.now */
  now?: () => number;
  /** Random source for jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * The body: the alert JSON (`beacon`), its ECS document (`ecs`) or its OCSF Detection
   * Finding (`ocsf`).
   * @default 'beacon'
   */
  format?: JsonAlertFormat;
  /** Host name written into `ecs`/`ocsf` documents. @default os.hostname() */
  hostname?: string;
}

/**
 * POSTs each alert as JSON (in `format`) with `User-Agent: beacon-detect/<version>`. Network errors,
 * timeouts, 5xx and 429 are retried with exponential backoff and full jitter (a 429's
 * `Retry-After` is honoured up to `backoffMaxMs`); other statuses fail at once. `send`
 * resolves only on a 2xx answer; redirects are not followed (a 3xx fails).
 */
export class WebhookSink implements AlertSink {
  readonly name: string;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #maxMs: number;
  readonly #secret: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #backoff: Backoff;
  readonly #closing = new AbortController();
  readonly #format: JsonAlertFormat;
  readonly #hostname: string;

  constructor(options: WebhookSinkOptions) {
    const { headers = {}, timeoutMs = 10_000, retries = 3, backoffBaseMs = 500, backoffMaxMs = 10_000, secret, name = 'webhook' } = options ?? ({} as WebhookSinkOptions);
    const owner = `WebhookSink "${name}"`;
    let url: URL;
    try {
      url = new URL(String(options?.url));
    } catch (cause) {
      throw new AlertingError('INVALID_OPTIONS', `${owner}: url must be an absolute http(s) URL (got ${JSON.stringify(options?.url)})`, { cause });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AlertingError('INVALID_OPTIONS', `${owner}: url must use http or https (got ${url.protocol})`);
    }
    if (secret !== undefined && (typeof secret !== 'string' || secret === '')) {
      throw new AlertingError('INVALID_OPTIONS', `${owner}: secret must be a non-empty string when set`);
    }
    for (const [key, value] of Object.entries(headers)) {
      if (typeof value !== 'string') throw new AlertingError('INVALID_OPTIONS', `${owner}: header "${key}" must be a string (got ${typeof value})`);
    }
    this.name = name;
    this.#url = url.href;
    this.#headers = headers;
    this.#timeoutMs = positiveInteger(owner, 'timeoutMs', timeoutMs);
    this.#retries = positiveInteger(owner, 'retries', retries, { allowZero: true });
    const baseMs = positiveInteger(owner, 'backoffBaseMs', backoffBaseMs, { allowZero: true });
    this.#maxMs = positiveInteger(owner, 'backoffMaxMs', backoffMaxMs, { allowZero: true });
    this.#secret = secret;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#now = options.now ?? Date.now;
    this.#backoff = new Backoff({ initialMs: baseMs, maxMs: this.#maxMs, jitter: 'full', random: options.random ?? Math.random });
    this.#format = checkAlertFormat(owner, options.format ?? 'beacon', JSON_FORMATS);
    this.#hostname = options.hostname ?? os.hostname();
  }

  /** POSTs the alert, retrying within the budget; rejects with the last failure. */
  async send(alert: Alert, signal?: AbortSignal): Promise<void> {
    if (this.#closing.signal.aborted) throw new AlertingError('SINK_CLOSED', `sink "${this.name}" is closed`, { sink: this.name });
    const outer = signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal;
    const body = renderAlertJson(alert, this.#format, { hostname: this.#hostname });
    let last: Failure | undefined;
    for (let attempt = 0; attempt <= this.#retries; attempt += 1) {
      if (attempt > 0) {
        const delay = Math.max(this.#backoff.delayAfter(attempt), last?.retryAfterMs ?? 0);
        await sleep(Math.min(delay, this.#maxMs), outer).catch((reason: unknown) => {
          throw this.#aborted(reason, last);
        });
      }
      const result = await this.#attempt(body, outer);
      if (result === undefined) return;
      last = result;
      if (!result.retryable || outer.aborted) break;
    }
    throw outer.aborted ? this.#aborted(outer.reason, last) : (last?.error ?? new AlertingError('DELIVERY_FAILED', `sink "${this.name}" failed`));
  }

  /** Aborts requests in flight and refuses new ones. */
  async close(): Promise<void> {
    this.#closing.abort(new AlertingError('SINK_CLOSED', `sink "${this.name}" is closed`, { sink: this.name }));
  }

  async #attempt(body: string, outer: AbortSignal): Promise<Failure | undefined> {
    const headers: Record<string, string> = { 'user-agent': `beacon-detect/${VERSION}`, ...lower(this.#headers), 'content-type': 'application/json' };
    if (this.#secret !== undefined) {
      const timestamp = String(Math.floor(this.#now() / 1000));
      headers['x-beacon-timestamp'] = timestamp;
      headers['x-beacon-signature'] = signWebhookPayload(this.#secret, timestamp, body);
    }
    const signal = AbortSignal.any([outer, AbortSignal.timeout(this.#timeoutMs)]);
    let response: Response;
    try {
      response = await this.#fetch(this.#url, { method: 'POST', headers, body, signal, redirect: 'manual' });
    } catch (cause) {
      if (outer.aborted) return { error: this.#aborted(outer.reason), retryable: false };
      const timedOut = signal.aborted;
      const code = timedOut ? 'TIMEOUT' : 'CONNECTION_FAILED';
      const what = timedOut ? `no answer within ${this.#timeoutMs} ms` : `request failed: ${describe(cause)}`;
      return { error: new AlertingError(code, `sink "${this.name}": POST ${this.#url}: ${what}`, { cause, sink: this.name }), retryable: true };
    }
    await response.body?.cancel().catch(() => undefined); // free the connection; the answer's body is not used
    if (response.ok) return undefined;
    const status = response.status;
    const error = new AlertingError('HTTP_STATUS', `sink "${this.name}": POST ${this.#url} answered ${status}`, { sink: this.name, status });
    const retryable = status >= 500 || status === 429;
    const retryAfter = Number(response.headers.get('retry-after'));
    return { error, retryable, ...(status === 429 && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
  }

  #aborted(reason: unknown, last?: Failure): AlertingError {
    if (isAlertingError(reason)) return reason;
    return new AlertingError('DELIVERY_FAILED', `sink "${this.name}": aborted${last ? ` after: ${last.error.message}` : ''}`, { cause: reason, sink: this.name });
  }
}

interface Failure {
  error: AlertingError;
  retryable: boolean;
  retryAfterMs?: number;
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
