import { describe, expect, it } from 'vitest';
import { openProbe } from '../openProbe.js';
import { isProbeError, ProbeError } from '../probeError.js';
import { decodeRecords, RECORD_SIZE } from './decode.js';
import { formatIpv6 } from './ip.js';

const v6 = (hex: string): string => formatIpv6(Buffer.from(hex, 'hex'), 0);

describe('address text', () => {
  it('formats IPv6 per RFC 5952', () => {
    expect(v6('20010db8000000000000000000000001')).toBe('2001:db8::1');
    expect(v6('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1'); // longest run wins
    expect(v6('20010db8000000000001000000000001')).toBe('2001:db8::1:0:0:1'); // first of equal runs
    expect(v6('20010db8000100010001000100010001')).toBe('2001:db8:1:1:1:1:1:1');
    expect(v6('20010db8000000010001000100010001')).toBe('2001:db8:0:1:1:1:1:1'); // no :: for one zero
    expect(v6('00000000000000000000000000000000')).toBe('::');
    expect(v6('00000000000000000000ffffc0000201')).toBe('::ffff:192.0.2.1');
    expect(v6('FD00BEEF000000000000000000000ABC'.toLowerCase())).toBe('fd00:beef::abc');
  });
});

describe('record decoding', () => {
  it('decodes the addon record layout', () => {
    const buf = Buffer.alloc(RECORD_SIZE * 2);
    buf.writeUInt32LE(1_700_000_000, 0);
    buf.writeUInt32LE(123_456_789, 4);
    buf.writeBigUInt64LE(2_500_000_000n, 8);
    buf.writeBigUInt64LE(5_000_000_000n, 16);
    buf.writeBigUInt64LE(7n, 24);
    Buffer.from([10, 0, 0, 5]).copy(buf, 32);
    Buffer.from([203, 0, 113, 9]).copy(buf, 48);
    buf.writeUInt16LE(50123, 64);
    buf.writeUInt16LE(443, 66);
    buf.set([6, 4, 3, 2, 0x13, 1], 68);
    const { events, fromKernel } = decodeRecords(buf.subarray(0, RECORD_SIZE), 'n1');
    expect(fromKernel).toBe(0);
    expect(events).toEqual([
      { tsSec: 1_700_000_000, tsNsec: 123_456_789, srcIp: '10.0.0.5', dstIp: '203.0.113.9', srcPort: 50123, dstPort: 443,
        protocol: 6, direction: 'egress', bytes: 5_000_000_000, packets: 7, tcpFlags: 0x13, kind: 'flow_end', node: 'n1', durationSec: 2.5 },
    ]);
  });
});

describe('openProbe options', () => {
  it.each([
    [{ interface: '' }],
    [{ interface: 'eth0', ringBufferPages: 3 }],
    [{ interface: 'eth0', idleGap: -1 }],
    [{ interface: 'eth0', attachMode: 'bogus' as never }],
  ])('rejects %j with invalid_options', async (options) => {
    const err: unknown = await openProbe(options).catch((e: unknown) => e);
    expect(isProbeError(err) && err.code).toBe('invalid_options');
  });

  it('guards by name and code', () => {
    expect(isProbeError(new ProbeError('closed', 'x'))).toBe(true);
    expect(isProbeError({ name: 'ProbeError', code: 'closed' })).toBe(true);
    expect(isProbeError(new Error('x'))).toBe(false);
  });
});
