import { createDetector, type Detector } from '@beacon/detector';
import { AlertDispatcher, createAlert, MemorySink } from '@beacon/alerting';
import { Registry } from 'prom-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from './createApp.js';
import { bodyOf, batchBody, post, wireEvent } from './internal/fixtures.js';
import { defaultConfig } from '@beacon/config';

const NOW = 1_700_000_000 + 40 * 60;
let detector: Detector;
let dispatcher: AlertDispatcher;

beforeEach(() => {
  detector = createDetector({ now: () => NOW, config: { minConnections: 10 } });
  dispatcher = new AlertDispatcher({ sinks: [new MemorySink()] });
});

async function seeded(opts: Partial<Parameters<typeof createApp>[0]> = {}) {
  const config = defaultConfig();
  config.alerting.webhook = { ...config.alerting.webhook, url: 'https://hooks.example.com/T000/SECRET', headers: { Authorization: 'Bearer sekrit' }, secret: 'hmac' };
  const app = createApp({ detector, alerts: dispatcher, config, now: () => NOW * 1000, registry: new Registry(), ...opts });
  const events = Array.from({ length: 30 }, (_, i) => wireEvent(i));
  const res = await app.request('/api/v1/telemetry', post(batchBody(events), { 'x-api-key': 'k' }));
  expect(res.status).toBe(200);
  return app;
}

const json = async (app: Awaited<ReturnType<typeof seeded>>, path: string, init?: RequestInit) => {
  const res = await app.request(path, init);
  return { status: res.status, body: await bodyOf(res), res };
};

describe('read routes', () => {
  it('GET / lists the endpoints', async () => {
    const { body } = await json(await seeded(), '/');
    expect(body).toMatchObject({ name: expect.any(String), version: '0.1.0', description: expect.any(String) });
    expect(body.endpoints.telemetry).toBe('POST /api/v1/telemetry');
  });

  it('health, status and statistics carry every field', async () => {
    const app = await seeded();
    const health = (await json(app, '/api/v1/health')).body;
    expect(health).toEqual({ status: 'healthy', timestamp: new Date(NOW * 1000).toISOString(), alert_queue_fill_percent: 0, alert_queue_backpressure: false, alert_queue_drops: 0 });
    const status = (await json(app, '/api/v1/status')).body;
    for (const k of ['status', 'uptime_seconds', 'start_time', 'requests_received', 'batches_processed', 'events_received', 'alert_queue_drops', 'ebpf_drops_total', 'buffer_overflow_total', 'events_rejected'])
      expect(status, k).toHaveProperty(k);
    expect(status.start_time).toMatch(/Z$/);
    expect(status.storage).toMatchObject({ pair_count: 1, total_connections: 30, unique_src_ips: 1, records_added: 30, retention_seconds: 7200 });
    for (const k of ['running', 'analysis_interval', 'total_runs', 'total_beacons_detected', 'total_alerts_generated', 'total_suppressed', 'current_known_beacons', 'active_cooldowns', 'whitelist_rules'])
      expect(status.analyzer, k).toHaveProperty(k);
    for (const k of ['enabled', 'alerts_sent', 'alerts_failed', 'alerts_by_severity', 'queue_size', 'recent_alerts_count', 'channels']) expect(status.alerter, k).toHaveProperty(k);
    expect(status.system.memory_mb).toBeGreaterThan(0);
    expect(status.system.open_fds).toBeGreaterThan(0);
    const stats = (await json(app, '/api/v1/statistics')).body;
    expect(stats.server).toMatchObject({ requests_received: expect.any(Number), batches_processed: 1, events_received: 30 });
    expect(Object.keys(stats)).toEqual(['server', 'storage', 'analyzer', 'alerter']);
  });

  it('analyze, then beacons with min_score and limit; DELETE clears', async () => {
    const app = await seeded();
    const run = (await json(app, '/api/v1/analyze', { method: 'POST' })).body;
    expect(run.status).toBe('completed');
    expect(Object.keys(run.run)).toEqual(expect.arrayContaining(['run_id', 'start_time', 'end_time', 'duration_seconds', 'pairs_analyzed', 'pairs_suppressed', 'beacons_detected', 'alerts_generated', 'pairs_skipped', 'errors']));
    expect(run.beacons_found).toHaveLength(1);
    const { body } = await json(app, '/api/v1/beacons?min_score=0.5&limit=5');
    expect(body.count).toBe(1);
    const item = body.beacons[0];
    for (const k of ['pair_key', 'src_ip', 'dst_ip', 'dst_port', 'protocol', 'cv_score', 'periodicity_score', 'jitter_score', 'size_score', 'combined_score', 'is_beacon', 'confidence', 'connection_count', 'duration_seconds', 'first_seen', 'last_seen', 'analysis_time', 'interval_stats', 'periodicity_result', 'explanation'])
      expect(item, k).toHaveProperty(k);
    expect(item.first_seen).toMatch(/^\d{4}-.*Z$/);
    expect((await json(app, '/api/v1/beacons?min_score=1.1')).status).toBe(400);
    const bad = await json(app, '/api/v1/beacons?limit=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.path).toBe('limit');
    expect((await json(app, '/api/v1/beacons', { method: 'DELETE' })).body).toEqual({ status: 'cleared' });
    expect((await json(app, '/api/v1/beacons')).body.count).toBe(0);
  });

  it('connections: fields, filters, limit; long connections', async () => {
    const app = await seeded();
    const { body } = await json(app, '/api/v1/connections');
    expect(body.count).toBe(1);
    expect(body.pairs[0]).toEqual({ pair_key: '10.0.0.5->203.0.113.9:443/TCP', src_ip: '10.0.0.5', dst_ip: '203.0.113.9', dst_port: 443, protocol: 'TCP', connection_count: 30, duration_seconds: 29 * 60, first_seen: '2023-11-14T22:13:20.000Z', last_seen: new Date((1_700_000_000 + 29 * 60) * 1000).toISOString() });
    expect((await json(app, '/api/v1/connections?src_ip=10.0.0.6')).body.count).toBe(0);
    expect((await json(app, '/api/v1/connections?dst_ip=203.0.113.9&limit=1')).body.count).toBe(1);
    expect((await json(app, '/api/v1/connections?src_ip=bogus')).body.path).toBe('src_ip');
    const long = (await json(app, '/api/v1/long-connections?min_duration=3600&limit=50')).body;
    expect(long).toEqual({ count: 0, connections: [] });
  });

  it('alerts: severity filter first, then limit; DELETE clears', async () => {
    const app = await seeded();
    const [beacon] = detector.analyze().beacons;
    const item = (await import('@beacon/detector')).toBeaconItem(beacon!);
    const mk = (score: number, t: number) => createAlert({ ...item, combined_score: score }, { now: () => t });
    for (let i = 0; i < 5; i++) dispatcher.enqueue(mk(0.95, 1000 + i));
    for (let i = 0; i < 5; i++) dispatcher.enqueue(mk(0.5, 2000 + i)); // newer, low
    const crit = (await json(app, '/api/v1/alerts?severity=critical&limit=3')).body;
    expect(crit.count).toBe(3);
    expect(crit.alerts.every((a: { severity: string }) => a.severity === 'critical')).toBe(true);
    expect((await json(app, '/api/v1/alerts')).body.count).toBe(10);
    expect((await json(app, '/api/v1/alerts?severity=bogus')).body.path).toBe('severity');
    expect((await json(app, '/api/v1/alerts', { method: 'DELETE' })).body).toEqual({ status: 'cleared' });
    expect((await json(app, '/api/v1/alerts')).body.count).toBe(0);
  });

  it('metrics: Prometheus 0.0.4 with the six names and real values', async () => {
    const app = await seeded();
    await app.request('/api/v1/telemetry', post(batchBody([], { data_plane_stats: { events_dropped_ebpf: 7, events_dropped_overflow: 2 } })));
    detector.analyze();
    const res = await app.request('/api/v1/metrics');
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE beacon_detector_events_total counter\nbeacon_detector_events_total 30');
    expect(text).toContain('beacon_detector_pairs_active 1');
    expect(text).toMatch(/# TYPE beacon_detector_analysis_duration_seconds gauge\nbeacon_detector_analysis_duration_seconds [\d.e-]+/);
    expect(text).toContain('beacon_detector_alerts_total 1');
    expect(text).toContain('beacon_detector_buffer_overflow_total 2');
    expect(text).toContain('beacon_detector_ebpf_drops_total 7');
    expect(text).toContain('beacon_detector_http_requests_total{method="POST",route="/api/v1/telemetry",status="200"} 2');
  });

  it('errors are JSON: 404, 405 with Allow', async () => {
    const app = await seeded();
    const nf = await json(app, '/api/v1/nope');
    expect(nf.status).toBe(404);
    const na = await json(app, '/api/v1/health', { method: 'POST' });
    expect(na.status).toBe(405);
    expect(na.res.headers.get('allow')).toBe('GET');
    expect(na.body.error).toMatch(/not allowed/);
  });
});

describe('config', () => {
  it('GET redacts secrets', async () => {
    const { body } = await json(await seeded(), '/api/v1/config');
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['detection', 'weights', 'alerting', 'whitelist']));
    expect(body.detection).toMatchObject({ min_connections: 10, alert_threshold: 0.7, alert_cooldown: 300 });
    expect(body.weights).toEqual({ cv: 0.35, periodicity: 0.35, jitter: 0.15, size: 0.15 });
    expect(body.alerting.webhook).toMatchObject({ url: 'https://hooks.example.com/***', headers: { Authorization: '***' }, secret: '***' });
    expect(JSON.stringify(body)).not.toMatch(/SECRET|sekrit|hmac/);
    expect(body.whitelist).toEqual({ source_ips: [], destination_ips: [], destination_ports: [], pairs: [] });
  });

  it('POST validates, names the path, and applies', async () => {
    const app = await seeded();
    const postJson = (b: unknown) => json(app, '/api/v1/config', { method: 'POST', body: JSON.stringify(b), headers: { 'content-type': 'application/json' } });
    const bad = await postJson({ detection: { min_connections: 'abc' } });
    expect(bad.status).toBe(400);
    expect(bad.body.path).toBe('detection.min_connections');
    expect((await postJson({ weights: { cv: -1 } })).body.path).toBe('weights.cv');
    expect((await postJson({ nope: {} })).body.path).toBe('nope');
    expect((await postJson({ detection: { bogus: 1 } })).body.path).toBe('detection.bogus');
    expect(detector.config.minConnections).toBe(10);
    const ok = await postJson({ detection: { min_connections: 12 }, weights: { cv: 0.4 }, whitelist: { destination_ports: [53] } });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('updated');
    expect(ok.body.config.detection.min_connections).toBe(12);
    expect(detector.config.minConnections).toBe(12);
    expect(detector.config.weights.cv).toBe(0.4);
    expect(detector.config.allowlist.destinationPorts).toEqual([53]);
    // Sending GET's redacted output back changes nothing.
    const shown = (await json(app, '/api/v1/config')).body;
    expect((await postJson({ alerting: shown.alerting })).status).toBe(200);
    expect((await postJson({ alerting: { webhook: { url: 'https://evil.example/' } } })).body.path).toBe('alerting');
    const syntax = await json(app, '/api/v1/config', { method: 'POST', body: '{"detection": }', headers: { 'content-type': 'application/json' } });
    expect(syntax.status).toBe(400);
  });
});

describe('auth and CORS', () => {
  it('no key configured: open to clients, closed to foreign web pages; no CORS headers by default', async () => {
    const app = await seeded();
    expect((await app.request('/api/v1/analyze', { method: 'POST' })).status).toBe(200);
    const res = await app.request('/api/v1/analyze', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('key configured: writes need it (X-API-Key or Bearer), reads stay open', async () => {
    const app = await seeded({ apiKey: 'k' });
    for (const [path, method] of [['/api/v1/analyze', 'POST'], ['/api/v1/config', 'POST'], ['/api/v1/telemetry', 'POST'], ['/api/v1/beacons', 'DELETE'], ['/api/v1/alerts', 'DELETE']] as const) {
      const res = await app.request(path, { method, body: method === 'POST' ? '{"events": []}' : null });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(await bodyOf(res)).toEqual({ error: 'Unauthorized' });
      expect((await app.request(path, { method, headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    }
    expect((await app.request('/api/v1/analyze', { method: 'POST', headers: { 'x-api-key': 'k' } })).status).toBe(200);
    expect((await app.request('/api/v1/analyze', { method: 'POST', headers: { authorization: 'Bearer k' } })).status).toBe(200);
    expect((await app.request('/api/v1/status')).status).toBe(200);
  });

  it('protectReads guards GETs too', async () => {
    const app = await seeded({ apiKey: 'k', protectReads: true });
    expect((await app.request('/api/v1/status')).status).toBe(401);
    expect((await app.request('/api/v1/status', { headers: { 'x-api-key': 'k' } })).status).toBe(200);
  });

  it('an allow-list of origins', async () => {
    const app = await seeded({ corsOrigins: ['https://console.example'] });
    const ok = await app.request('/api/v1/status', { headers: { origin: 'https://console.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://console.example');
    const other = await app.request('/api/v1/status', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
