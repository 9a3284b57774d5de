import { createDetector } from '@beacon/detector';
import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { AppType } from './apiRoutes.js';
import { createApp } from './createApp.js';
import { batchBody, post, wireEvent } from './internal/fixtures.js';

const T0 = 1_700_000_000;
const NOW = T0 + 40 * 60;

/** A beacon (10.0.0.5 -> 203.0.113.9:443) and an NTP client (UDP/123, the default benign baseline). */
async function seeded() {
  const detector = createDetector({ now: () => NOW, config: { minConnections: 10 } });
  const app = createApp({ detector, now: () => NOW * 1000 });
  const beacon = Array.from({ length: 30 }, (_, i) => wireEvent(i));
  const ntp = Array.from({ length: 30 }, (_, i) => wireEvent(i, { dst_ip: '192.0.2.123', dst_port: 123, protocol: 17, src_port: 123, tcp_flags: 0 }, 64));
  expect((await app.request('/api/v1/telemetry', post(batchBody([...beacon, ...ntp])))).status).toBe(200);
  // The typed client, calling the app without a socket.
  const api = hc<AppType>('http://localhost', { fetch: (input: string | URL | Request, init?: RequestInit) => app.request(input, init) });
  return { app, api, detector };
}

describe('the typed API (AppType + hc)', () => {
  it('status serves the original client names as aliases with the same non-zero values', async () => {
    const { api } = await seeded();
    expect((await api.api.v1.analyze.$post()).status).toBe(200);
    expect((await api.api.v1.analyze.$post()).status).toBe(200);
    for (const res of [await api.api.v1.status.$get(), await api.api.v1.statistics.$get()]) {
      const s = await res.json();
      expect(s.storage.pair_count).toBe(2);
      expect(s.storage.pairs_count).toBe(s.storage.pair_count);
      expect(s.analyzer.total_runs).toBe(2);
      expect(s.analyzer.analysis_runs).toBe(s.analyzer.total_runs);
      // The beacon, scored by the first run (the second finds nothing new); the NTP pair is benign and not counted.
      expect(s.analyzer.total_beacons_detected).toBe(1);
      expect(s.analyzer.beacons_detected).toBe(s.analyzer.total_beacons_detected);
      expect(s.analyzer.current_known_beacons).toBe(1);
    }
  });

  it('lists benign-baseline pairs only with include_benign=true', async () => {
    const { api } = await seeded();
    const run = await (await api.api.v1.analyze.$post()).json();
    expect(run.run.beacons_detected).toBe(1);
    const plain = await (await api.api.v1.beacons.$get({ query: {} })).json();
    expect(plain.count).toBe(1);
    expect(plain.beacons.map((b) => b.dst_port)).toEqual([443]);
    const all = await (await api.api.v1.beacons.$get({ query: { include_benign: true } })).json();
    expect(all.count).toBe(2);
    expect(all.beacons.find((b) => b.dst_port === 123)?.benign_label).toBe('NTP');
    const bad = await api.api.v1.beacons.$get({ query: { include_benign: 'maybe' as unknown as boolean } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ path: 'include_benign' });
  });

  it('typed queries reach the handlers: connections by source, long connections, alerts by severity', async () => {
    const { api } = await seeded();
    const pairs = await (await api.api.v1.connections.$get({ query: { dst_ip: '192.0.2.123', limit: 5 } })).json();
    expect(pairs.pairs.map((p) => p.dst_port)).toEqual([123]);
    const long = await (await api.api.v1['long-connections'].$get({ query: { min_duration: 0, limit: 1 } })).json();
    expect(long.count).toBeLessThanOrEqual(1);
    const alerts = await (await api.api.v1.alerts.$get({ query: { severity: 'critical' } })).json();
    expect(alerts).toEqual({ count: 0, alerts: [] });
  });

  it('answers 405 with the Allow header read from the registered routes', async () => {
    const { app } = await seeded();
    const res = await app.request('/api/v1/beacons', { method: 'PUT' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, DELETE');
    expect((await app.request('/api/v1/telemetry')).headers.get('allow')).toBe('POST');
  });
});
