import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { AlertDispatcher } from './alertDispatcher.js';
import { createAlert } from './createAlert.js';
import { Backoff } from './backoff.js';

const backoffDelay = (attempt: number, baseMs: number, maxMs: number, random: () => number): number =>
  new Backoff({ initialMs: baseMs, maxMs, jitter: 'full', random }).delayAfter(attempt + 1);
import { beaconItem } from './internal/fixtures.js';
import { VERSION } from './internal/version.js';
import { signWebhookPayload, verifyWebhookSignature } from './signWebhookPayload.js';
import { WebhookSink } from './webhookSink.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback receiver; `answer(request, attemptForThisBody)` returns a status or 'hang'. */
async function receiver(answer: (r: Received, attempt: number) => number | 'hang' | { status: number; headers: Record<string, string> }) {
  const requests: Received[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const attempt = (attempts.get(r.body) ?? 0) + 1;
      attempts.set(r.body, attempt);
      const a = answer(r, attempt);
      if (a === 'hang') return;
      const { status, headers } = typeof a === 'number' ? { status: a, headers: {} } : a;
      res.writeHead(status, headers).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const close = (): Promise<void> => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
  cleanups.push(close);
  return { url, requests, close };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const alert = (i = 0): Alert => createAlert(beaconItem({ pair_key: `pair-${i}` }), { now: () => 1_735_689_600_000 });
const fast = { backoffBaseMs: 5, backoffMaxMs: 20 } as const;

describe('WebhookSink', () => {
  it('retries 5xx until delivered, sending the same signed body each time', async () => {
    const rx = await receiver((_, attempt) => (attempt <= 2 ? 503 : 204));
    const sink = new WebhookSink({ url: rx.url, headers: { Authorization: 'Bearer t0k', 'X-Team': 'soc' }, secret: 's3cret', now: () => 1_700_000_000_000, ...fast });
    await sink.send(alert());
    expect(rx.requests).toHaveLength(3);
    const last = rx.requests[2]!;
    expect(JSON.parse(last.body)).toEqual(alert());
    expect(new Set(rx.requests.map((r) => r.body)).size).toBe(1);
    expect(last.headers).toMatchObject({
      'user-agent': `beacon-detect/${VERSION}`,
      'content-type': 'application/json',
      authorization: 'Bearer t0k',
      'x-team': 'soc',
      'x-beacon-timestamp': '1700000000',
    });
    expect(last.headers['x-beacon-signature']).toBe(signWebhookPayload('s3cret', '1700000000', last.body));
    expect(verifyWebhookSignature('s3cret', '1700000000', last.body, String(last.headers['x-beacon-signature']))).toBe(true);
    expect(verifyWebhookSignature('other', '1700000000', last.body, String(last.headers['x-beacon-signature']))).toBe(false);
  });

  it('loses nothing within the retry budget when driven by the dispatcher', async () => {
    const rx = await receiver((_, attempt) => (attempt <= 3 ? 500 : 200));
    const sink = new WebhookSink({ url: rx.url, retries: 3, ...fast });
    const dispatcher = new AlertDispatcher({ sinks: [sink], concurrency: 2 });
    for (let i = 0; i < 6; i += 1) dispatcher.enqueue(alert(i));
    await dispatcher.close();
    const delivered = new Set(rx.requests.map((r) => (JSON.parse(r.body) as Alert).details.pair_key));
    expect(delivered.size).toBe(6);
    expect(rx.requests).toHaveLength(24);
    expect(dispatcher.stats()).toMatchObject({ alerts_sent: 6, alerts_failed: 0, sinks: { webhook: { sent: 6, failed: 0 } } });
  });

  it('fails with the last status once the budget is spent', async () => {
    const rx = await receiver(() => 502);
    const sink = new WebhookSink({ url: rx.url, retries: 2, ...fast });
    await expect(sink.send(alert())).rejects.toMatchObject({ code: 'HTTP_STATUS', status: 502 });
    expect(rx.requests).toHaveLength(3);
  });

  it('does not retry other 4xx, but retries 429', async () => {
    const rx400 = await receiver(() => 400);
    await expect(new WebhookSink({ url: rx400.url, ...fast }).send(alert())).rejects.toMatchObject({ code: 'HTTP_STATUS', status: 400 });
    expect(rx400.requests).toHaveLength(1);
    const rx302 = await receiver(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
    await expect(new WebhookSink({ url: rx302.url, ...fast }).send(alert())).rejects.toMatchObject({ code: 'HTTP_STATUS', status: 302 });
    expect(rx302.requests).toHaveLength(1);
    const rx429 = await receiver((_, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : 200));
    const started = Date.now();
    await new WebhookSink({ url: rx429.url, ...fast }).send(alert());
    expect(rx429.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(900); // Retry-After is capped at backoffMaxMs
  });

  it('times out a hung attempt and retries it', async () => {
    const rx = await receiver((_, n) => (n === 1 ? 'hang' : 200));
    await new WebhookSink({ url: rx.url, timeoutMs: 100, ...fast }).send(alert());
    expect(rx.requests).toHaveLength(2);
    const hung = await receiver(() => 'hang');
    await expect(new WebhookSink({ url: hung.url, timeoutMs: 50, retries: 1, ...fast }).send(alert())).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('reports a refused connection after retrying', async () => {
    const rx = await receiver(() => 200);
    await rx.close();
    await expect(new WebhookSink({ url: rx.url, retries: 1, ...fast }).send(alert())).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
  });

  it('stops when the caller aborts, and after close', async () => {
    const rx = await receiver(() => 503);
    const sink = new WebhookSink({ url: rx.url, retries: 10, backoffBaseMs: 200, backoffMaxMs: 200, random: () => 0.99 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('enough')), 50);
    await expect(sink.send(alert(), controller.signal)).rejects.toMatchObject({ code: 'DELIVERY_FAILED', message: expect.stringMatching(/aborted after: .*503/) });
    await sink.close();
    await expect(sink.send(alert())).rejects.toMatchObject({ code: 'SINK_CLOSED' });
  });

  it('rejects bad options by name', () => {
    expect(() => new WebhookSink({ url: 'not a url' })).toThrow(/url must be an absolute http\(s\) URL \(got "not a url"\)/);
    expect(() => new WebhookSink({ url: 'ftp://x' })).toThrow(/url must use http or https/);
    expect(() => new WebhookSink({ url: 'http://x', retries: -1 })).toThrow(/retries must be an integer >= 0/);
    expect(() => new WebhookSink({ url: 'http://x', secret: '' })).toThrow(/secret/);
    expect(() => new WebhookSink({ url: 'http://x', headers: { a: 1 as unknown as string } })).toThrow(/header "a" must be a string/);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially under a cap, with full jitter', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 1000, () => 0.999999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(5, 100, 1000, () => 0)).toBe(0);
  });
});

describe('VERSION', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
