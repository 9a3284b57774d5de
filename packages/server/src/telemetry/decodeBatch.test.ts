import { describe, expect, it } from 'vitest';
import { batchBody, wireEvent } from '../internal/fixtures.js';
import { decodeBatch, fast, general, type DecodedBatch } from './decodeBatch.js';

const plain = (d: DecodedBatch | null): unknown =>
  d && { ...d, chunks: d.chunks.map((c) => ({ events: c.events, wireIndex: [...c.wireIndex.subarray(0, c.events.length)] })) };

/** The fast reader must give exactly what JSON.parse + per-event validation gives. */
async function same(text: string, chunkSize = 3, header?: string): Promise<DecodedBatch> {
  const body = Buffer.from(text);
  const quick = await fast(body, chunkSize, header);
  expect(quick, 'the fast reader handles this body').not.toBeNull();
  expect(plain(quick)).toEqual(plain(await general(body, chunkSize, header)));
  return quick!;
}

describe('decodeBatch', () => {
  it('reads the usual body exactly as JSON.parse would, chunk by chunk', async () => {
    const events = Array.from({ length: 10 }, (_, i) => wireEvent(i, i % 2 ? { timestamp_ns: (1_700_000_000 + i) * 1e9 + 123 } : {}));
    const d = await same(batchBody(events, { data_plane_stats: { events_dropped_ebpf: 1, events_dropped_overflow: 2 } }));
    expect(d.chunks.map((c) => c.events.length)).toEqual([3, 3, 3, 1]);
    expect(d.received).toBe(10);
    expect(d.envelope.dataPlaneStats).toEqual({ events_dropped_ebpf: 1, events_dropped_overflow: 2 });
  });

  it('agrees on odd but valid values: escapes, unicode, null, composites, exponents, duplicates, whitespace', async () => {
    const e = (o: Record<string, unknown>): Record<string, unknown> => ({ ...wireEvent(0), ...o });
    const events = [
      e({ node_id: 'nœud-Ω', src_ip: '2001:DB8::1' }),
      e({ packet_size: null, tcp_flags: null, packets: null, node_id: null }),
      e({ src_port: [1], dst_ip: { a: [1, { b: null }] } }),
      e({ timestamp_ns: 1.7e18, duration_seconds: 2.5e-1, kind: 'flow_end' }),
      e({ timestamp_ns: -0 }),
      e({ timestamp_ns: 1e20 }),
      e({ direction: true, protocol: 6.5 }),
      e({ src_ip: '010.0.0.1' }),
      e({ src_ip: '10.0.0.256' }),
      'x',
      null,
      [1, 2],
      17,
    ];
    // Written by hand: escapes in values, a duplicate key, whitespace everywhere, an exponent.
    const raw = String.raw`{ "timestamp_ns" : "1700000000000000000", "src_ip":"10.0.0.5","dst_ip":"203.0.113.9" ,
      "src_port" : 1 , "src_port":4E4 ,"dst_port":443,"protocol":6,"node_id":"n\u00e9\"x","kind":"b\u0075rst","connection_key":"a\nb\/"}`;
    const json = JSON.stringify({ events, node_id: 'late', batch_id: 'b' }).replace('"events":[', `"events":[${raw},\r\n\t`);
    expect(() => JSON.parse(json)).not.toThrow();
    const d = await same(json);
    expect(d.rejected).toBeGreaterThan(5);
    expect(d.chunks[0]!.events[0]).toMatchObject({ node: 'né"x', kind: 'burst', srcPort: 40000 });
  });

  it('gives events without node_id the batch node, or the header when the body names none', async () => {
    const text = JSON.stringify({ events: [wireEvent(0)] });
    expect((await same(text, 3, 'dp-hdr')).chunks[0]!.events[0]!.node).toBe('dp-hdr');
    expect((await same(text)).chunks[0]!.events[0]!.node).toBe('unknown');
  });

  it('leaves malformed bodies to the general parser, which names the byte offset', async () => {
    for (const bad of ['{"events": [1,]}', '{"events": [{"a": 01}]}', '{"events": [{"a": "\u0001"}]}', '{"events": []} x', '{"events": [{"a": tru}]}', '{"events": [{"a": "\\x"}]}']) {
      expect(await fast(Buffer.from(bad), 5, undefined), bad).toBeNull();
      await expect(decodeBatch(Buffer.from(bad), 5), bad).rejects.toMatchObject({ code: 'INVALID_JSON' });
    }
  });

  it('refuses events that are not an array and a bad envelope, with the path', async () => {
    await expect(decodeBatch(Buffer.from('{"events": {}}'), 5)).rejects.toMatchObject({ code: 'BAD_REQUEST', path: 'events' });
    await expect(decodeBatch(Buffer.from('{"node_id": 1, "events": []}'), 5)).rejects.toMatchObject({ code: 'BAD_REQUEST', path: 'node_id' });
    await expect(decodeBatch(Buffer.from('{"events": [], "batch_id": []}'), 5)).rejects.toMatchObject({ code: 'BAD_REQUEST', path: 'batch_id' });
  });
});
