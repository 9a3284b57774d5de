import { createDetector } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { bodyOf, batchBody, post, wireEvent } from '../internal/fixtures.js';

// Regression tests for the hostile-telemetry defects of issue 17: each one let a single event
// (or a few requests) blind detection or break every listing.
const URL_T = '/api/v1/telemetry';
/** The server's clock: 40 minutes after the fixtures' t0, so 30 one-minute beats are in its past. */
const NOW_S = 1_700_000_000 + 40 * 60;
const setup = () => {
  const detector = createDetector({ now: () => NOW_S, config: { minConnections: 10 } });
  return { detector, app: createApp({ detector, now: () => NOW_S * 1000 }) };
};
const send = async (app: ReturnType<typeof setup>['app'], events: unknown[], extra: Record<string, unknown> = {}) => {
  const res = await app.request(URL_T, post(batchBody(events, extra)));
  return { status: res.status, body: await bodyOf(res) };
};
const metricsOf = async (app: ReturnType<typeof setup>['app']) => (await app.request('/api/v1/metrics')).text();

describe('telemetry from a hostile sender', () => {
  it('defect 1: an event dated in 2100 is rejected, counted, and does not hide the real beacon', async () => {
    const { app } = setup();
    const future = wireEvent(0, { timestamp_ns: String(4_102_444_800n * 1_000_000_000n) }); // 2100-01-01
    const first = await send(app, [future]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ events_accepted: 0, events_rejected: 1 });
    expect(first.body.rejected[0].path).toBe('events[0].timestamp_ns');
    expect(first.body.rejected[0].message).toMatch(/ahead of the server clock/);
    const real = await send(app, Array.from({ length: 30 }, (_, i) => wireEvent(i)));
    expect(real.body).toMatchObject({ events_accepted: 30, events_rejected: 0 });
    const run = await bodyOf(await app.request('/api/v1/analyze', { method: 'POST' }));
    expect(run.beacons_found).toHaveLength(1);
    expect(await metricsOf(app)).toContain('beacon_detector_events_rejected_total{reason="future_time"} 1');
  });

  it('defect 1: events within the tolerance of the server clock are accepted (both parse paths)', async () => {
    const { app } = setup();
    const soon = wireEvent(0, { timestamp_ns: (NOW_S + 60) * 1e9 });
    expect((await send(app, [soon])).body).toMatchObject({ events_accepted: 1, events_rejected: 0 });
    // an escaped key sends the body down the general JSON.parse path
    const body = batchBody([wireEvent(1, { timestamp_ns: (NOW_S + 86_400) * 1e9 })]).replace('"src_port"', '"src\\u005fport"');
    const res = await bodyOf(await app.request(URL_T, post(body)));
    expect(res).toMatchObject({ events_accepted: 0, events_rejected: 1 });
  });

  it('defect 2: a huge duration_seconds is rejected and every listing keeps working', async () => {
    const { app } = setup();
    const events = Array.from({ length: 30 }, (_, i) => wireEvent(i));
    expect((await send(app, events)).status).toBe(200);
    const poison = wireEvent(31, { kind: 'flow_end', duration_seconds: 1e18, src_port: 40000 });
    const r = await send(app, [poison]);
    expect(r.body).toMatchObject({ events_accepted: 0, events_rejected: 1 });
    expect(r.body.rejected[0].path).toBe('events[0].duration_seconds');
    for (const path of ['/api/v1/connections', '/api/v1/long-connections', '/api/v1/beacons']) expect((await app.request(path)).status, path).toBe(200);
    const run = await app.request('/api/v1/analyze', { method: 'POST' });
    expect(run.status).toBe(200);
    expect((await bodyOf(run)).beacons_found).toHaveLength(1);
  });

  it('defect 2: sizes, packets and timestamps beyond their bounds are rejected with their path', async () => {
    const { app } = setup();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ packet_size: 1e300 }, 'packet_size'],
      [{ packets: 2 ** 60 }, 'packets'],
      [{ timestamp_ns: 1e30 }, 'timestamp_ns'],
      [{ duration_seconds: 1e12 }, 'duration_seconds'],
    ];
    for (const [override, field] of cases) {
      const r = await send(app, [wireEvent(0, override as never)]);
      expect(r.body.events_rejected, field).toBe(1);
      expect(r.body.rejected[0].path).toBe(`events[0].${field}`);
    }
  });

  it('defect 3: an IPv6 zone id rejects that one event with its path; the rest of the batch is ingested', async () => {
    const { app, detector } = setup();
    const events = [wireEvent(0), wireEvent(1, { src_ip: 'fe80::1%eth0' }), wireEvent(2), wireEvent(3, { dst_ip: 'fe80::2%25eth0' })];
    const r = await send(app, events);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ events_received: 4, events_accepted: 2, events_rejected: 2 });
    expect(r.body.rejected.map((x: { path: string }) => x.path)).toEqual(['events[1].src_ip', 'events[3].dst_ip']);
    expect(detector.stats().storage.records_added).toBe(2);
    const q = await app.request('/api/v1/connections?src_ip=fe80::1%25eth0');
    expect(q.status).toBe(400);
    expect((await bodyOf(q)).path).toBe('src_ip');
  });

  it('defect 7: a node_id longer than the limit is refused; tracked nodes are capped and evictions counted', async () => {
    const { app } = setup();
    const stats = { data_plane_stats: { events_dropped_ebpf: 1, events_dropped_overflow: 0 } };
    const long = await send(app, [wireEvent(0)], { node_id: 'n'.repeat(4 * 1024 * 1024), ...stats });
    expect(long.status).toBe(400);
    expect(long.body.path).toBe('node_id');
    const header = await app.request(URL_T, post(JSON.stringify({ events: [] }), { 'x-node-id': 'h'.repeat(1000) }));
    expect(header.status).toBe(400);
    const perEvent = await send(app, [wireEvent(0, { node_id: 'e'.repeat(1000) })]);
    expect(perEvent.body.rejected[0].path).toBe('events[0].node_id');
    for (let i = 0; i < 1100; i++) expect((await send(app, [], { node_id: `node-${i}`, ...stats })).status).toBe(200);
    const status = await bodyOf(await app.request('/api/v1/status'));
    expect(status.data_plane_nodes).toBe(1024);
    // the forgotten nodes' drops stay in the totals
    expect(status.ebpf_drops_total).toBe(1100);
    expect(await metricsOf(app)).toContain('beacon_detector_nodes_evicted_total 76');
  });
});
