import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scorePair } from './index.js';

const interval = fc.double({ min: 0, max: 1e5, noNaN: true, noDefaultInfinity: true });
const intervals = fc.array(interval, { minLength: 0, maxLength: 120 });
const sizes = fc.array(fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true }), { maxLength: 120 });
/** A beacon-like train: a period, a jitter fraction, and per-beat noise in [-1, 1]. */
const jitteredTrain = fc.record({
  noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 100 }),
  jitter: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

describe('scorePair properties', () => {
  it('keeps the score and every component in [0, 1] with a consistent severity', () => {
    fc.assert(
      fc.property(intervals, sizes, (iv, sz) => {
        const r = scorePair(iv, sz);
        for (const v of [r.score, r.components.cv, r.components.periodicity, r.components.jitter, r.components.size]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(r.severity).toBe(r.score >= 0.9 ? 'CRITICAL' : r.score >= 0.8 ? 'HIGH' : r.score >= 0.7 ? 'MEDIUM' : 'LOW');
        if (iv.length < 3) expect(r.notScored).toBe('too_few_samples');
        if (r.periodSeconds !== null) expect(r.periodSeconds).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('is invariant to time scale (no absolute-seconds constants)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), { minLength: 3, maxLength: 80 }),
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        (iv, c) => {
          const a = scorePair(iv, []);
          const b = scorePair(
            iv.map((x) => x * c),
            [],
          );
          expect(b.score).toBeCloseTo(a.score, 6);
          if (a.periodSeconds !== null) expect(b.periodSeconds! / (a.periodSeconds * c)).toBeCloseTo(1, 6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scores a jittered pattern at 2 s and at 3,600 s the same', () => {
    fc.assert(
      fc.property(jitteredTrain, ({ noise, jitter }) => {
        const at = (p: number): number[] => noise.map((u) => p * (1 + jitter * u));
        expect(scorePair(at(3600), []).score).toBeCloseTo(scorePair(at(2), []).score, 6);
      }),
    );
  });

  it('does not depend on the order of the sizes', () => {
    fc.assert(
      fc.property(intervals, sizes, fc.integer(), (iv, sz, seed) => {
        const shuffled = [...sz];
        let s = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1664525 + 1013904223) >>> 0;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(scorePair(iv, shuffled).score).toBe(scorePair(iv, sz).score);
      }),
      { numRuns: 200 },
    );
  });

  it('scores a bounded-jitter beacon of 20+ beats at >= 0.7 for one-sided jitter up to 50 %', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 100 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (u, j) => {
          const iv = u.map((x) => 60 * (1 - j * x));
          expect(scorePair(iv, []).score).toBeGreaterThanOrEqual(0.7);
        },
      ),
      { numRuns: 200 },
    );
  });
});
