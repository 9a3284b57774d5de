import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIpv4, formatIpv6, ipv6Text, parseIpv4, parseIpv4Bytes, parseIpv4BytesInt32, parseIpv6 } from './ipText.js';

describe('address text', () => {
  it.each([
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80:0000:0000:0000:0000:0000:0000:00ff', 'fe80::ff'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ])('%s -> %s (RFC 5952)', (input, out) => {
    expect(canonicalIp(input)).toBe(out);
    const w = parseIpv6(input);
    expect(w && ipv6Text(...w)).toBe(out);
  });

  it.each(['1::2::3', '12345::', '1.2.3', '1.2.3.256', 'abc', ''])('rejects %j', (input) => {
    expect(canonicalIp(input)).toBeUndefined();
  });
});

describe('one spelling whichever way an address arrives', () => {
  it('bytes, words and text give the same canonical text', () => {
    const cases = ['192.0.2.1', '2001:db8::2:1', '::ffff:192.0.2.1', '::', 'fe80::ff', '1:0:0:1::1', '2001:db8:0:1:1:1:1:1'];
    for (const text of cases) {
      if (!text.includes(':')) {
        const v = parseIpv4(text) as number;
        const b = new Uint8Array([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
        expect(formatIpv4(b, 0)).toBe(text);
        continue;
      }
      const w = parseIpv6(text);
      expect(w).toBeDefined();
      const b = new Uint8Array(16);
      new DataView(b.buffer).setUint32(0, w![0]);
      new DataView(b.buffer).setUint32(4, w![1]);
      new DataView(b.buffer).setUint32(8, w![2]);
      new DataView(b.buffer).setUint32(12, w![3]);
      expect(formatIpv6(b, 0)).toBe(text);
      expect(canonicalIp(text)).toBe(text);
    }
  });

  it('a zone id is not an address', () => {
    expect(canonicalIp('fe80::1%eth0')).toBeUndefined();
    expect(parseIpv6('fe80::1%eth0')).toBeUndefined();
  });
});

describe('parseIpv4Bytes / parseIpv4BytesInt32', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(`x${s}y`);
  it('read a dotted quad from bytes: unsigned, or as a signed 32-bit integer; NaN / -1 for anything else', () => {
    for (const [text, u] of [['0.0.0.0', 0], ['10.0.0.1', 0x0a000001], ['127.255.255.255', 0x7fffffff], ['128.0.0.0', 0x80000000], ['198.18.0.1', 0xc6120001], ['255.255.255.255', 0xffffffff]] as const) {
      const b = bytes(text);
      expect(parseIpv4Bytes(b, 1, b.length - 1)).toBe(u);
      const s = parseIpv4BytesInt32(b, 1, b.length - 1);
      expect(s).toBe(u | 0);
      expect(s >>> 0).toBe(u);
    }
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', '01234.1.1.1', '1.2.3.a', '1.2.3.']) {
      const b = bytes(bad);
      expect(parseIpv4Bytes(b, 1, b.length - 1), bad).toBe(-1);
      expect(parseIpv4BytesInt32(b, 1, b.length - 1), bad).toBeNaN();
    }
  });
});
