import { createDetector } from '@beacon/detector';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { batchBody, bodyOf, post, wireEvent } from '../internal/fixtures.js';
import { wantsHtml } from './dashboard.js';

const NOW = 1_700_000_000 + 40 * 60;
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

function app(opts: Partial<Parameters<typeof createApp>[0]> = {}) {
  return createApp({ detector: createDetector({ now: () => NOW, config: { minConnections: 10 } }), now: () => NOW * 1000, registry: new Registry(), ...opts });
}

describe('content negotiation at /', () => {
  it('tells browsers from API clients', () => {
    expect(wantsHtml(BROWSER)).toBe(true);
    expect(wantsHtml('text/html')).toBe(true);
    expect(wantsHtml('*/*')).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
    expect(wantsHtml('application/json')).toBe(false);
    expect(wantsHtml('application/json, text/html;q=0.5')).toBe(false);
    expect(wantsHtml('text/html;q=0')).toBe(false);
  });

  it('serves the dashboard page to a browser and JSON to everyone else', async () => {
    const a = app();
    const html = await a.request('/', { headers: { accept: BROWSER } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(html.headers.get('vary')).toBe('Accept');
    const page = await html.text();
    const script = /src="\/dashboard\/(assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    const js = await a.request(`/dashboard/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');

    for (const accept of [undefined, '*/*', 'application/json']) {
      const res = await a.request('/', accept ? { headers: { accept } } : {});
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect((await bodyOf(res)).endpoints).toMatchObject({ pairs: 'GET /api/v1/pairs/{key}', stream: 'GET /api/v1/stream' });
      expect(res.headers.get('vary')).toBe('Accept');
    }
  });

  it('serves only files of the build, and nothing when the dashboard is off', async () => {
    const a = app();
    expect((await a.request('/dashboard/assets/../../package.json')).status).toBe(404);
    expect((await a.request('/dashboard/nope.js')).status).toBe(404);
    const off = app({ dashboard: false });
    const res = await off.request('/', { headers: { accept: BROWSER } });
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('with reads protected, the page loads without the key but the data needs it', async () => {
    const a = app({ apiKey: 'k', protectReads: true });
    expect((await a.request('/', { headers: { accept: BROWSER } })).status).toBe(200);
    expect((await a.request('/dashboard/')).status).toBe(200);
    expect((await a.request('/')).status).toBe(401);
    expect((await a.request('/api/v1/beacons')).status).toBe(401);
    expect((await a.request('/api/v1/stream')).status).toBe(401);
    expect((await a.request('/api/v1/beacons', { headers: { authorization: 'Bearer k' } })).status).toBe(200);
  });
});

describe('GET /api/v1/pairs/{key}', () => {
  it("returns the pair's recent event times and sizes, and its beacon item", async () => {
    const a = app();
    await a.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 30 }, (_, i) => wireEvent(i, { packet_size: 300 + i })))));
    await a.request('/api/v1/analyze', { method: 'POST' });
    const key = '10.0.0.5->203.0.113.9:443/TCP';
    const res = await a.request(`/api/v1/pairs/${encodeURIComponent(key)}?limit=5`);
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body).toMatchObject({ pair_key: key, src_ip: '10.0.0.5', dst_port: 443, protocol: 'TCP', connection_count: 30 });
    expect(body.events.times).toEqual([25, 26, 27, 28, 29].map((i) => 1_700_000_000 + i * 60));
    expect(body.events.sizes).toHaveLength(5);
    expect(body.beacon.pair_key).toBe(key);
    expect(body.beacon.explanation.detected_interval_seconds).toBeCloseTo(60, 0);
    // the raw key works too (hono matches the rest of the path)
    expect((await a.request(`/api/v1/pairs/10.0.0.5->203.0.113.9:443/TCP`)).status).toBe(200);
  });

  it('404 for an unknown pair, 400 for a bad limit', async () => {
    const a = app();
    const res = await a.request(`/api/v1/pairs/${encodeURIComponent('1.2.3.4->5.6.7.8:1/TCP')}`);
    expect(res.status).toBe(404);
    expect((await bodyOf(res)).error).toContain('1.2.3.4->5.6.7.8:1/TCP');
    expect((await a.request('/api/v1/pairs/x?limit=-1')).status).toBe(400);
  });
});
