import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { medianInPlace, selectKth } from './select.js';

describe('selectKth / medianInPlace', () => {
  it('agree with sorting', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 300 }), fc.nat(), (xs, kk) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const k = kk % xs.length;
        expect(selectKth(Float64Array.from(xs), xs.length, k)).toBe(sorted[k]);
        const h = xs.length >> 1;
        const med = xs.length % 2 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
        expect(medianInPlace(Float64Array.from(xs), xs.length)).toBe(med);
      }),
      { numRuns: 300 },
    );
  });
  it('stays correct when the pivot budget runs out (sorted, reversed, organ-pipe input)', () => {
    const n = 5000;
    const inputs = [
      Float64Array.from({ length: n }, (_, i) => i),
      Float64Array.from({ length: n }, (_, i) => n - i),
      Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i)),
    ];
    for (const a of inputs) {
      const sorted = Array.from(a).sort((x, y) => x - y);
      for (const k of [0, 1, 2499, 2500, n - 1]) expect(selectKth(Float64Array.from(a), n, k)).toBe(sorted[k]);
    }
  });

  it('even-length medians with many ties agree with sorting (the lower middle read where selection left it)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 400 }), (xs) => {
        const a = xs.length % 2 === 0 ? xs : xs.slice(1);
        const sorted = [...a].sort((x, y) => x - y);
        const h = a.length >> 1;
        expect(medianInPlace(Float64Array.from(a), a.length)).toBe((sorted[h - 1]! + sorted[h]!) / 2);
      }),
      { numRuns: 300 },
    );
  });

  it('handles many duplicates', () => {
    const a = Float64Array.from({ length: 1000 }, (_, i) => i % 3);
    expect(medianInPlace(a, 1000)).toBe(1);
  });
});
