import { describe, expect, it } from 'vitest';
import { eventTime, pairKey, protocolName, protocolNumber, splitTime } from './event.js';
import { connectionEventSchema } from './eventSchema.js';

describe('event model', () => {
  it('round-trips time', () => {
    const t = splitTime(1_700_000_000.123456);
    expect(t.tsSec).toBe(1_700_000_000);
    expect(eventTime(t)).toBeCloseTo(1_700_000_000.123456, 6);
  });
  it('brackets IPv6 destinations in pair keys', () => {
    expect(pairKey('10.0.0.1', '2001:db8::1', 443, 6)).toBe('10.0.0.1->[2001:db8::1]:443/TCP');
  });
  it('maps protocol names to numbers, the inverse of protocolName', () => {
    for (const n of [1, 6, 17, 58, 0, 47, 132, 255]) expect(protocolNumber(protocolName(n))).toBe(n);
    expect(protocolNumber('tcp')).toBe(6);
    expect(protocolNumber('Udp')).toBe(17);
    expect(protocolNumber('IPv6-ICMP')).toBe(58);
    expect(protocolNumber('SCTP')).toBe(132);
    for (const bad of ['', 'gre', '256', '-1', '1.5', ' 6', '0x6', '1234', 'TCP ']) expect(protocolNumber(bad)).toBeUndefined();
  });
  it('rejects a bad address with its path', () => {
    const r = connectionEventSchema.safeParse({ tsSec: 1, tsNsec: 0, srcIp: 'nope', dstIp: '1.2.3.4', srcPort: 1, dstPort: 2, protocol: 6, direction: 'egress', bytes: 0, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 'n' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['srcIp']);
  });
});
