import { gzipSync } from 'node:zlib';
import { createDetector } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { bodyOf, batchBody, post, wireEvent } from '../internal/fixtures.js';

const URL_T = '/api/v1/telemetry';
const setup = (opts: Partial<Parameters<typeof createApp>[0]> = {}) => {
  const detector = createDetector({ now: () => 1_700_100_000 });
  return { detector, app: createApp({ detector, ...opts }) };
};

describe('POST /api/v1/telemetry', () => {
  it('accepts a valid batch and the detector counts rise', async () => {
    const { app, detector } = setup();
    const events = Array.from({ length: 12 }, (_, i) => wireEvent(i));
    const res = await app.request(URL_T, post(batchBody(events, { data_plane_stats: { events_dropped_ebpf: 3, events_dropped_overflow: 4 } })));
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body).toMatchObject({ status: 'accepted', batch_id: 'b-1', events_received: 12, events_accepted: 12, events_rejected: 0, rejected: [] });
    expect(detector.stats().storage.records_added).toBe(12);
    const status = await bodyOf(await app.request('/api/v1/status'));
    expect(status).toMatchObject({ batches_processed: 1, events_received: 12, ebpf_drops_total: 3, buffer_overflow_total: 4 });
  });

  it('reads gzip bodies and the X-Node-ID header', async () => {
    const { app, detector } = setup();
    const body = JSON.stringify({ events: [wireEvent(0), wireEvent(1)] });
    const res = await app.request(URL_T, post(body, { 'x-node-id': 'dp-hdr' }, true));
    expect(res.status).toBe(200);
    expect((await bodyOf(res)).node_id).toBe('dp-hdr');
    expect(detector.stats().storage.records_added).toBe(2);
  });

  it('answers malformed JSON with 400 and the position', async () => {
    const { app } = setup();
    const res = await app.request(URL_T, post('{"events": [], }'));
    expect(res.status).toBe(400);
    const body = await bodyOf(res);
    expect(body.error).toMatch(/not valid JSON/);
    expect(body.position).toBe(15);
  });

  it('reports the position of a syntax error deep inside a large (chunked) body', async () => {
    const { app } = setup({ maxBodyBytes: 64 * 1024 * 1024 });
    const good = batchBody(Array.from({ length: 20_000 }, (_, i) => wireEvent(i)));
    const at = good.lastIndexOf('},{') + 1;
    const broken = `${good.slice(0, at)}#${good.slice(at + 1)}`;
    const res = await app.request(URL_T, post(broken));
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).position).toBe(at);
  });

  it('refuses a bad envelope with the field path', async () => {
    const { app } = setup();
    for (const [body, path] of [
      ['{"events": "x"}', 'events'],
      ['[]', '(body)'],
      ['{"node_id": 5, "events": []}', 'node_id'],
      ['{"events": [], "data_plane_stats": {"events_dropped_ebpf": -1}}', 'data_plane_stats.events_dropped_ebpf'],
    ] as const) {
      const res = await app.request(URL_T, post(body));
      expect(res.status, body).toBe(400);
      expect((await bodyOf(res)).path).toBe(path);
    }
  });

  it('rejects and counts bad events, accepting the rest', async () => {
    const { app, detector } = setup();
    const events: unknown[] = [wireEvent(0), { ...wireEvent(1), src_ip: 'nope' }, wireEvent(2), 'x', { ...wireEvent(3), dst_port: 70000 }];
    const body = await bodyOf(await app.request(URL_T, post(batchBody(events))));
    expect(body).toMatchObject({ events_received: 5, events_accepted: 2, events_rejected: 3 });
    expect(body.rejected.map((r: { path: string }) => r.path)).toEqual(['events[1].src_ip', 'events[3]', 'events[4].dst_port']);
    expect(detector.stats().storage.records_added).toBe(2);
    const metrics = await (await app.request('/api/v1/metrics')).text();
    expect(metrics).toContain('beacon_detector_events_rejected_total{reason="invalid_wire"} 3');
  });

  it('answers 413 for an oversized raw body, by Content-Length and by streamed bytes', async () => {
    const { app } = setup({ maxBodyBytes: 1000 });
    const big = batchBody(Array.from({ length: 50 }, (_, i) => wireEvent(i)));
    expect((await app.request(URL_T, post(big))).status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const res = await app.request(URL_T, { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
    expect(res.status).toBe(413);
    expect((await bodyOf(res)).error).toMatch(/larger than 1000 bytes/);
  });

  it('answers 413 for a gzip bomb (small compressed, huge decompressed)', async () => {
    const { app } = setup({ maxBodyBytes: 1024 * 1024 });
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await app.request(URL_T, post(bomb, { 'content-encoding': 'gzip' }));
    expect(res.status).toBe(413);
    expect((await bodyOf(res)).error).toMatch(/decompressed/);
  });

  it('answers 415 for an unknown Content-Encoding and 400 for broken gzip', async () => {
    const { app } = setup();
    expect((await app.request(URL_T, post('{}', { 'content-encoding': 'br' }))).status).toBe(415);
    expect((await app.request(URL_T, post('not gzip', { 'content-encoding': 'gzip' }))).status).toBe(400);
  });

  it('processes a large batch in chunks, keeping the event loop responsive', async () => {
    const { app, detector } = setup({ maxBodyBytes: 256 * 1024 * 1024, chunkSize: 2000 });
    const events = Array.from({ length: 40_000 }, (_, i) => wireEvent(i, { src_ip: `10.1.${(i >> 8) & 255}.${i & 255}` }, 1));
    const body = post(batchBody(events), {}, true);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const res = await app.request(URL_T, body);
    clearInterval(timer);
    expect(res.status).toBe(200);
    expect((await bodyOf(res)).events_accepted).toBe(40_000);
    expect(detector.stats().storage.records_added).toBe(40_000);
    // 20 chunks of decoding and 20 of ingestion, each followed by a yield in which timers fire.
    expect(ticks).toBeGreaterThanOrEqual(20);
  });
});
