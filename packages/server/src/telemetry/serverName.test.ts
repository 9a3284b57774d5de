import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '@beacon/detector';
import { batchBody, wireEvent } from '../internal/fixtures.js';
import { fast, general } from './decodeBatch.js';
import { decodeTelemetryEvent } from './decode.js';
import { toTelemetryEvent } from './encode.js';

const event: ConnectionEvent = {
  tsSec: 1_700_000_000, tsNsec: 5, srcIp: '10.0.0.5', dstIp: '198.51.100.10', srcPort: 40_000, dstPort: 443, protocol: 6,
  direction: 'egress', bytes: 517, packets: 1, tcpFlags: 0x18, kind: 'flow_start', node: 'probe-1', serverName: 'c2.example.net',
};

describe('telemetry server_name', () => {
  it('round-trips through the wire format; senders without it still decode', () => {
    const wire = toTelemetryEvent(event);
    expect(wire.server_name).toBe('c2.example.net');
    expect(decodeTelemetryEvent(wire, 0, 'n')).toMatchObject({ serverName: 'c2.example.net', dstIp: '198.51.100.10' });
    const { server_name: _drop, ...old } = wire;
    expect(decodeTelemetryEvent(old, 0, 'n')).not.toHaveProperty('serverName');
  });

  it('a bad server_name rejects its event naming the field; the fast reader agrees with JSON.parse', async () => {
    expect(decodeTelemetryEvent({ ...toTelemetryEvent(event), server_name: 7 }, 3, 'n')).toEqual({ path: 'events[3].server_name', message: expect.stringContaining('must be a server name of 1-255') });
    const body = Buffer.from(batchBody([wireEvent(0, { server_name: 'A.Example.com' }), wireEvent(1), wireEvent(2, { server_name: '' })]));
    const quick = await fast(body, 10, undefined);
    const slow = await general(body, 10, undefined);
    expect(quick?.chunks[0]?.events.map((e) => e.serverName)).toEqual(['a.example.com', undefined]);
    expect(slow.chunks[0]?.events.map((e) => e.serverName)).toEqual(['a.example.com', undefined]);
    expect([quick?.rejected, slow.rejected]).toEqual([1, 1]);
  });

  it('names with control characters, spaces or over 255 characters are rejected by both readers, each naming the field', async () => {
    const hostile = ['evil\tname.example', 'evil\nname.example', 'evil\u0000name.example', 'evil\rname', '\u001b[2Jclear', 'a b.example', 'x'.repeat(256), 'caf\u00e9.example'];
    const body = Buffer.from(batchBody([...hostile.map((server_name, i) => wireEvent(i, { server_name })), wireEvent(99, { server_name: 'Good-Name_1.example:8443' })]));
    for (const decoded of [await fast(body, 100, undefined), await general(body, 100, undefined)]) {
      expect(decoded?.rejected).toBe(hostile.length);
      expect(decoded?.rejections.map((r) => r.path)).toEqual(hostile.map((_, i) => `events[${i}].server_name`));
      expect(decoded?.chunks.flatMap((c) => c.events.map((e) => e.serverName))).toEqual(['good-name_1.example:8443']);
    }
  });
});
