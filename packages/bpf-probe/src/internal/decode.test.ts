import { describe, expect, it } from 'vitest';
import { openProbe } from '../openProbe.js';
import { isProbeError, ProbeError } from '../probeError.js';
import { decodeRecords, RECORD_SIZE } from './decode.js';
import { formatIpv4, formatIpv6 } from '@beacon/detector';

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

describe('address interning', () => {
  it('returns the right text for every address, whatever shares a cache slot', () => {
    const buf = Buffer.alloc(16);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 20_000; i++) {
        const x = Math.imul(i, 2_654_435_761) >>> 0;
        buf.writeUInt32BE(x, 0);
        expect(formatIpv4(buf, 0)).toBe(`${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`);
      }
    }
    for (let i = 0; i < 3000; i++) {
      buf.writeUInt32BE(0x20010db8, 0);
      buf.writeUInt32BE(i >>> 4, 8);
      buf.writeUInt32BE(i & 15, 12);
      const words = [0x2001, 0xdb8, 0, 0, 0, i >>> 4, 0, i & 15];
      expect(formatIpv6(buf, 0)).toBe(v6(words.map((w) => w.toString(16).padStart(4, '0')).join('')));
    }
  });

  it('hands out the same string for a repeated address', () => {
    const a = Buffer.from([192, 0, 2, 7]);
    expect(formatIpv4(a, 0)).toBe(formatIpv4(Buffer.from(a), 0));
  });
});

describe('record decoding', () => {
  it('decodes only the first count records of a reused buffer', () => {
    const buf = Buffer.alloc(RECORD_SIZE * 3);
    for (let i = 0; i < 3; i++) {
      buf.writeUInt16LE(1000 + i, i * RECORD_SIZE + 64);
      buf[i * RECORD_SIZE + 69] = 4;
      buf[i * RECORD_SIZE + 70] = 2;
    }
    const { events, fromKernel } = decodeRecords(buf, 'n', 2);
    expect(events.map((e) => [e.srcPort, e.kind])).toEqual([[1000, 'burst'], [1001, 'burst']]);
    expect(fromKernel).toBe(2);
  });

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
