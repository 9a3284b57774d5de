import type { ConnectionEvent } from '@beacon/detector';
import { describe, expect, it } from 'vitest';
import { HistoryCollector } from './htmlReport.js';

const e = (t: number, over: Partial<ConnectionEvent> = {}): ConnectionEvent => ({
  tsSec: Math.floor(t), tsNsec: Math.round((t % 1) * 1e9), srcIp: '10.0.0.1', dstIp: '203.0.113.9', srcPort: 5000, dstPort: 443, protocol: 6,
  direction: 'egress', bytes: Math.round(t) % 1000, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 'test', ...over,
});

describe('HistoryCollector', () => {
  it('keeps the newest events of each pair in time order, without flow ends', () => {
    const c = new HistoryCollector(3);
    c.add([e(5), e(1), e(3), e(4, { kind: 'flow_end' }), e(2, { dstPort: 80 }), e(9), e(7), e(8, { kind: 'burst' })]);
    expect(c.history('10.0.0.1->203.0.113.9:443/TCP')).toEqual({ times: [7, 8, 9], sizes: [7, 8, 9] });
    expect(c.history('10.0.0.1->203.0.113.9:80/TCP').times).toEqual([2]);
    expect(c.history('nope')).toEqual({ times: [], sizes: [] });
  });
});
