import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '@beacon/detector';
import { EventDecoder, EventEncoder } from './eventCodec.js';

// Required<>: a field added to ConnectionEvent fails type-checking here until the codec carries it.
const full: Required<ConnectionEvent> = {
  tsSec: 1_700_000_123, tsNsec: 456_789_000, srcIp: '10.0.0.5', dstIp: '2001:db8::9', srcPort: 50123, dstPort: 443, protocol: 6,
  direction: 'egress', bytes: 2 ** 40, packets: 12, tcpFlags: 0x1b, kind: 'burst', node: 'zeek:conn.log', durationSec: 1.25, connState: 'SF', serverName: 'c2.example.net',
};

describe('event codec', () => {
  it('carries every field of an event, across messages whose address tables build on each other', () => {
    const enc = new EventEncoder();
    const dec = new EventDecoder(false);
    const second: ConnectionEvent = { ...full, srcIp: '10.0.0.6', kind: 'flow_end', direction: 'unknown', node: 'pcap:x.pcap' };
    const withoutDuration: ConnectionEvent = { ...full, kind: 'flow_start', direction: 'ingress' };
    delete withoutDuration.durationSec;
    delete withoutDuration.connState;
    delete withoutDuration.serverName;
    const m1 = enc.encode([full, withoutDuration]);
    const m2 = enc.encode([second, full]);
    expect(m2.newIps).toEqual(['10.0.0.6']); // 2001:db8::9 was sent with m1
    dec.absorb(m1);
    expect(dec.decode(m1)).toEqual([full, withoutDuration]);
    dec.absorb(m2);
    expect(dec.decode(m2, 1)).toEqual([full]);
  });

  it('reuses its event objects when asked to', () => {
    const enc = new EventEncoder();
    const dec = new EventDecoder(true);
    const m = enc.encode([full, full]);
    dec.absorb(m);
    const a = dec.decode(m);
    const b = dec.decode(m);
    expect(b[0]).toBe(a[0]);
    expect({ ...b[0] }).toEqual(full);
    const bare: ConnectionEvent = { ...full };
    delete bare.connState;
    const m2 = enc.encode([bare]);
    dec.absorb(m2);
    expect(dec.decode(m2)[0]?.connState).toBeUndefined();
  });
});
