import { describe, expect, it } from 'vitest';
import { parseTime } from './decimal.js';
import { splitTimestamp, resolution } from './pcapngTime.js';

describe('exact times', () => {
  it('splits decimal text without floating point', () => {
    const out = { sec: 0, nsec: 0 };
    expect(parseTime(Buffer.from('1655071198.444458'), 0, 17, out)).toBe(true);
    expect(out).toEqual({ sec: 1655071198, nsec: 444_458_000 });
    expect(parseTime(Buffer.from('12.1234567899'), 0, 13, out) && out).toEqual({ sec: 12, nsec: 123_456_789 });
    expect(parseTime(Buffer.from('12.'), 0, 3, out)).toBe(false);
    expect(parseTime(Buffer.from('-1'), 0, 2, out)).toBe(false);
  });

  it('splits 64-bit pcapng timestamps at any resolution', () => {
    const ns = 1_700_000_000_123_456_789n;
    const out = { sec: 0, nsec: 0 };
    splitTimestamp(Number(ns >> 32n), Number(ns & 0xffffffffn), resolution(9), out);
    expect(out).toEqual({ sec: 1_700_000_000, nsec: 123_456_789 });
    const bin = (1_700_000_000n << 20n) + (1n << 19n); // 2^-20 resolution, half a second
    splitTimestamp(Number(bin >> 32n), Number(bin & 0xffffffffn), resolution(0x80 | 20), out);
    expect(out).toEqual({ sec: 1_700_000_000, nsec: 500_000_000 });
    const ps = 1_700_000_000_123_456_789_000n / 1000n; // exercised via resolution 12 below
    splitTimestamp(Number((ps * 1000n) >> 32n), Number((ps * 1000n) & 0xffffffffn), resolution(12), out);
    expect(out.sec).toBeGreaterThan(0);
  });
});
