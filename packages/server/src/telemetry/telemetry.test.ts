import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '@beacon/detector';
import { canonicalIp, decodeTelemetry, TelemetryFormatError } from './decode.js';
import { encodeTelemetryBatches, toTelemetryEvent } from './encode.js';

const base: ConnectionEvent = {
  tsSec: 1_700_000_000,
  tsNsec: 123_456_789,
  srcIp: '10.0.0.5',
  dstIp: '2001:db8::9',
  srcPort: 50123,
  dstPort: 443,
  protocol: 6,
  direction: 'egress',
  bytes: 310,
  packets: 1,
  tcpFlags: 0x12,
  kind: 'flow_start',
  node: 'dp-1',
};

describe('telemetry codec', () => {
  it('round-trips an event exactly, nanoseconds included', () => {
    const [body] = encodeTelemetryBatches([base, { ...base, kind: 'flow_end', durationSec: 4.5 }], { nodeId: 'dp-1' });
    const decoded = decodeTelemetry(JSON.parse(body!));
    expect(decoded.events).toEqual([base, { ...base, kind: 'flow_end', durationSec: 4.5 }]);
    expect(decoded.rejectedCount).toBe(0);
  });

  it('writes the original\'s field names', () => {
    const wire = toTelemetryEvent(base);
    expect(wire).toMatchObject({ src_ip: '10.0.0.5', protocol_name: 'TCP', direction: 1, direction_name: 'EGRESS', tcp_flags_list: ['SYN', 'ACK'] });
    expect(wire.connection_key).toBe('10.0.0.5:50123->[2001:db8::9]:443/TCP');
  });

  it('accepts an original batch (numeric timestamp_ns, no kind)', () => {
    const d = decodeTelemetry({
      batch_id: 'b', node_id: 'dp-host', events: [{ timestamp_ns: 1700000000000000000, src_ip: '10.0.0.5', dst_ip: '203.0.113.9', src_port: 1, dst_port: 443, packet_size: 310, protocol: 6, tcp_flags: 2, direction: 1 }],
    });
    expect(d.events[0]).toMatchObject({ tsSec: 1_700_000_000, kind: 'flow_start', node: 'dp-host', bytes: 310 });
  });

  it('rejects bad events with their path and keeps the good ones', () => {
    const good = toTelemetryEvent(base);
    const d = decodeTelemetry({ events: [good, { ...good, src_ip: 'nope' }, { ...good, dst_port: 70000 }, good] });
    expect(d.events).toHaveLength(2);
    expect(d.rejectedCount).toBe(2);
    expect(d.rejected.map((r) => r.path)).toEqual(['events[1].src_ip', 'events[2].dst_port']);
  });

  it('refuses a bad envelope with the field path', () => {
    expect(() => decodeTelemetry({ events: 'x' })).toThrow(TelemetryFormatError);
    expect(() => decodeTelemetry({ events: [], data_plane_stats: { events_dropped_ebpf: -1 } })).toThrow(/data_plane_stats.events_dropped_ebpf/);
  });

  it('splits into batches no larger than maxBytes and loses nothing', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({ ...base, srcPort: 1000 + i }));
    const bodies = encodeTelemetryBatches(events, { nodeId: 'n', maxBytes: 32 * 1024 });
    expect(bodies.length).toBeGreaterThan(5);
    for (const b of bodies) expect(Buffer.byteLength(b)).toBeLessThanOrEqual(32 * 1024);
    const all = bodies.flatMap((b) => decodeTelemetry(JSON.parse(b)).events);
    expect(all.map((e) => e.srcPort)).toEqual(events.map((e) => e.srcPort));
  });

  it('canonicalises IPv6', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('999.1.1.1')).toBeNull();
    // IPv4-mapped: the dotted tail, as the probe and the pcap reader write it.
    expect(canonicalIp('::FFFF:192.0.2.128')).toBe('::ffff:192.0.2.128');
    expect(canonicalIp('0:0:0:0:0:ffff:c000:280')).toBe('::ffff:192.0.2.128');
  });
});
