import { createDetector } from '@beacon/detector';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createApp } from '../createApp.js';
import { batchBody, post, wireEvent } from '../internal/fixtures.js';
import { listen } from '../listen.js';

const NOW = 1_700_000_000 + 40 * 60;

interface Sse {
  event: string;
  id: string;
  data: unknown;
}

/** Reads SSE events off a fetch body until `until` says stop (test helper). */
async function readEvents(res: Response, until: (seen: Sse[]) => boolean): Promise<Sse[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  const seen: Sse[] = [];
  let buf = '';
  while (!until(seen)) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const f = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      if (f.data !== undefined) seen.push({ event: f.event ?? 'message', id: f.id ?? '', data: JSON.parse(f.data) });
    }
  }
  await reader.cancel();
  return seen;
}

describe('GET /api/v1/stream (real socket)', () => {
  it('sends hello and stats, then alerts and analyses as they happen, replays after Last-Event-ID, and ends on close', async () => {
    const detector = createDetector({ now: () => NOW, config: { minConnections: 10 } });
    const app = createApp({ detector, now: () => NOW * 1000, registry: new Registry(), streamIntervalMs: 100 });
    const server = await listen(app, { port: 0 });
    try {
      const res = await fetch(`${server.url}/api/v1/stream`, { headers: { accept: 'text/event-stream' } });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const first = readEvents(res, (s) => s.some((e) => e.event === 'alert') && s.some((e) => e.event === 'analysis') && s.filter((e) => e.event === 'stats').length >= 2);
      await app.request('/api/v1/telemetry', post(batchBody(Array.from({ length: 30 }, (_, i) => wireEvent(i)))));
      await app.request('/api/v1/analyze', { method: 'POST' });
      const seen = await first;
      expect(seen[0]).toMatchObject({ event: 'hello' });
      const alert = seen.find((e) => e.event === 'alert') as Sse;
      expect(alert.data).toMatchObject({ pair_key: '10.0.0.5->203.0.113.9:443/TCP', reason: 'new', details: { is_beacon: true } });
      const stats = seen.filter((e) => e.event === 'stats').at(-1)?.data as Record<string, number>;
      expect(stats).toMatchObject({ pair_count: 1, beacon_count: 1, events_received: 30, alerts_generated: 1 });

      const again = await fetch(`${server.url}/api/v1/stream`, { headers: { 'last-event-id': String(Number(alert.id) - 1) } });
      const replayed = await readEvents(again, (s) => s.some((e) => e.event === 'analysis'));
      expect(replayed.map((e) => e.event)).toContain('alert');

      const open = await fetch(`${server.url}/api/v1/stream`);
      const ended = readEvents(open, () => false);
      const t0 = Date.now();
      const closing = server.close();
      await ended;
      // the stream ends at once (a client's idle pooled sockets may still hold close() a little)
      expect(Date.now() - t0).toBeLessThan(1000);
      await closing;
    } finally {
      await server.close();
    }
  });
});
