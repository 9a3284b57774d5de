import type { ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { decodeEvents, encodeEvents } from './eventCodec.js';

const ev = (i: number, over: Partial<ConnectionEvent> = {}): ConnectionEvent => ({
  tsSec: 1_700_000_000 + i,
  tsNsec: 123_456_789,
  srcIp: '10.0.0.5',
  dstIp: i % 2 ? '2001:db8::1' : '203.0.113.9',
  srcPort: 50_000 + i,
  dstPort: 443,
  protocol: 6,
  direction: 'egress',
  bytes: 310 + i,
  packets: 3,
  tcpFlags: 0x12,
  kind: i % 3 === 0 ? 'flow_start' : 'burst',
  node: 'dp-ü-1',
  ...(i % 4 === 0 ? { durationSec: 12.5 } : {}),
  ...over,
});

describe('event batches', () => {
  it('round-trip every field, with the node counters', () => {
    const events = Array.from({ length: 50 }, (_, i) => ev(i));
    const out = decodeEvents(encodeEvents(events, { nodeId: 'dp-1', stats: { events_dropped_ebpf: 3, events_dropped_overflow: 4 } }));
    expect(out.events).toEqual(events);
    expect(out.rejected).toBe(0);
    expect(out.stats).toEqual({ events_dropped_ebpf: 3, events_dropped_overflow: 4 });
    expect(out.statsNode).toBe('dp-1');
  });
  it('refuse records with non-canonical addresses or bad numbers, and count them', () => {
    const events = [ev(1), ev(2, { srcIp: '010.0.0.5' }), ev(3, { dstIp: 'not-an-ip' }), ev(4, { tsNsec: 2e9 }), ev(5, { bytes: -1 }), ev(6)];
    const out = decodeEvents(encodeEvents(events));
    expect(out.events.map((e) => e.tsSec)).toEqual([1_700_000_001, 1_700_000_006]);
    expect(out.rejected).toBe(4);
  });
  it('refuse a body that is not a batch, naming why', () => {
    expect(() => decodeEvents(new TextEncoder().encode('{"events":[]}'))).toThrow(/bad magic byte/);
    const good = encodeEvents([ev(1)]);
    expect(() => decodeEvents(good.subarray(0, good.length - 3))).toThrow(/bytes of records/);
  });
});
