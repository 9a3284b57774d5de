import { createRng, generateBenign } from '@beacon/synth';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialLowerTail, binomialLowerTailLn } from '../internal/binomial.js';
import { scorePair } from '../scorePair.js';
import { describeEvidence } from '../internal/explain.js';
import {
  boundedSleepValue,
  evidenceCap,
  addBands,
  evidenceFromCounts,
  evidenceLogs,
  evidenceOf,
  newBandCounts,
  newEvidence,
  BOUNDS,
  LATTICE_CELLS,
  Q_BELOW_FLOOR,
  Q_BEYOND,
  Q_OFF_LATTICE,
  Q_OUTSIDE_BOUNDS,
} from './evidence.js';

const median = (a: ArrayLike<number>): number => {
  const s = Array.from(a).sort((x, y) => x - y);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const evidence = (iv: ArrayLike<number>) => evidenceOf(iv, iv.length, median(iv));

describe('evidence against a memoryless process', () => {
  it('uses the exponential law: P(E < x M) = 1 - 2^-x, memoryless above M/2', () => {
    expect(Q_BEYOND).toBeCloseTo(0.5, 12);
    expect(Q_BELOW_FLOOR).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(Q_OUTSIDE_BOUNDS).toBeCloseTo(1 - (2 ** -0.125 - 2 ** -2.5), 12);
    // the lattice cells, checked by integrating the conditional density numerically
    let on = 0;
    const steps = 400_000;
    for (let i = 0; i < steps; i++) {
      const e = ((i + 0.5) / steps) * 20; // E / M given E >= M/2, minus 1/2
      const r = e + 0.5;
      if (LATTICE_CELLS.some(([lo, hi]) => r >= lo && r < hi)) on += Math.LN2 * 2 ** -e * (20 / steps);
    }
    expect(1 - on).toBeCloseTo(Q_OFF_LATTICE, 4);
  });

  it('binomial lower tail matches a direct sum', () => {
    // each term from its own log (ln C(n, i) summed term by term), added in plain floating point
    const direct = (k: number, n: number, q: number): number => {
      let s = 0;
      let lnC = 0;
      for (let i = 0; i <= k; i++) {
        s += Math.exp(lnC + i * Math.log(q) + (n - i) * Math.log1p(-q));
        lnC += Math.log(n - i) - Math.log(i + 1);
      }
      return s;
    };
    for (const [k, n, q] of [[0, 10, 0.3], [2, 20, 0.5], [5, 40, 0.275], [1, 15, 0.29], [30, 200, 0.4], [300, 9000, 0.05]] as const) {
      const want = direct(k, n, q);
      expect(binomialLowerTail(k, n, q) / want).toBeCloseTo(1, 6);
      expect(binomialLowerTailLn(k, n, q, Math.log(q), Math.log1p(-q)) - Math.log(want)).toBeCloseTo(0, 6);
    }
  });

  it('counts the bands and flags a tight train as strong evidence', () => {
    const ev = evidence([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(ev).toMatchObject({ n: 11, long: 11, beyond: 0, offLattice: 0, outsideBounds: 0, belowFloor: 0 });
    expect(10 ** -ev.log10Tight).toBeCloseTo(0.5 ** 11, 12);
    expect(ev.log10Value).toBeCloseTo(Math.max(ev.log10Tight, ev.log10Lattice, ev.log10Bounded, ev.log10Floor) - Math.log10(4), 12);
    const burst = evidence([10, 0.1, 10, 10, 20, 10, 10, 35, 10]);
    expect(burst).toMatchObject({ long: 8, beyond: 2, belowFloor: 1, outsideBounds: 2 });
    // 20 is on the lattice (2 beats), 35 is beyond 3.5 x median
    expect(burst.offLattice).toBe(1);
  });

  it('is calibrated: a Poisson train reaches p <= 0.01 at most about 1 time in 100 (10-16 events)', () => {
    const rng = createRng(11);
    for (const events of [10, 13, 16]) {
      let hits = 0;
      const runs = 3000;
      for (let r = 0; r < runs; r++) {
        const iv = Array.from({ length: events - 1 }, () => rng.exponential(600));
        if (evidence(iv).log10Value >= 2) hits++;
      }
      expect(hits / runs).toBeLessThanOrEqual(0.012);
    }
  });

  it('counts each band as its definition says, and the short path gives the full evidence exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.integer({ min: 0, max: 40 }).map((k) => k * 2.5)), { minLength: 1, maxLength: 700 }), (iv) => {
        const m = median(iv);
        fc.pre(m > 0 && 16 / m < Infinity);
        const bands = addBands(iv, iv.length, 16 / m, newBandCounts());
        const scale = 16 / m;
        const r = iv.map((x) => x * scale); // the same rounding as addBands
        const inCell = (x: number): boolean => LATTICE_CELLS.some(([lo, hi]) => x >= lo * 16 && x < hi * 16);
        expect(bands).toEqual({
          below: r.filter((x) => x < 8).length,
          beyond: r.filter((x) => x >= 24).length,
          onLattice: r.filter(inCell).length,
          inside: r.filter((x) => x >= BOUNDS[0] * 16 && x < BOUNDS[1] * 16).length,
        });
        const full = evidenceFromCounts(iv.length, bands, newEvidence());
        const short = evidenceLogs(iv.length, bands, { log10Value: 0, log10Bounded: 0, outsideBounds: 0 });
        expect(short).toEqual({ log10Value: full.log10Value, log10Bounded: full.log10Bounded, outsideBounds: full.outsideBounds });
      }),
      { numRuns: 500 },
    );
  });

  it('caps: below 0.7 until p <= 0.01, lifted from p <= 1e-4, monotone', () => {
    expect(evidenceCap(0)).toBe(0);
    expect(evidenceCap(1.99)).toBeLessThan(0.7);
    expect(evidenceCap(2)).toBeCloseTo(0.7, 12);
    expect(evidenceCap(4)).toBe(1);
    expect(boundedSleepValue(3.99)).toBeLessThan(0.7);
    expect(boundedSleepValue(4)).toBeCloseTo(0.7, 12);
    expect(boundedSleepValue(100)).toBe(0.9);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(evidenceCap(lo)).toBeLessThanOrEqual(evidenceCap(hi));
        expect(boundedSleepValue(lo)).toBeLessThanOrEqual(boundedSleepValue(hi));
      }),
    );
  });
});

describe('evidence in scorePair', () => {
  it('the score never exceeds the cap, and an alert always rests on p <= 0.01 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e5, noNaN: true }), { minLength: 3, maxLength: 60 }), (iv) => {
        const r = scorePair(iv, []);
        const ev = r.explanation.evidence!;
        expect(r.score).toBeLessThanOrEqual(ev.cap + 1e-12);
        if (r.score >= 0.7) expect(ev.pValue).toBeLessThanOrEqual(0.01 + 1e-12);
        expect(ev.limited).toBe(Math.max(r.explanation.signals.reduce((s, x) => s + x.contribution, 0), ev.boundedSleep) > ev.cap + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('scale-free: multiplying every interval by c leaves the evidence unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-2, max: 1e4, noNaN: true }), { minLength: 3, maxLength: 60 }),
        fc.integer({ min: -3, max: 3 }),
        (iv, e) => {
          const c = 2 ** e; // exact in binary floating point
          const a = evidence(iv);
          const b = evidence(iv.map((x) => x * c));
          expect(b.log10Value).toBe(a.log10Value);
        },
      ),
    );
  });

  it('a 3,600 s beacon with 10 % jitter seen 12 times still alerts; 5 callbacks are limited by sample size', () => {
    const rng = createRng(4);
    for (let s = 0; s < 200; s++) {
      const iv = Array.from({ length: 11 }, () => 3600 * (1 + 0.1 * (2 * rng.next() - 1)));
      expect(scorePair(iv, []).score).toBeGreaterThanOrEqual(0.7);
    }
    const short = scorePair([3600, 3590, 3610, 3605], []);
    expect(short.score).toBeLessThan(0.7);
    expect(short.explanation.evidence?.limited).toBe(true);
    expect(short.explanation.summary).toMatch(/limited by sample size \(CRITICAL without the cap\): 4 intervals/);
  });

  it('Poisson, browsing and bursty pairs with 10-16 events at 600-7,200 s stay below 0.5 % flagged', () => {
    let n = 0;
    let flagged = 0;
    let seed = 1;
    for (const events of [10, 12, 14, 16]) {
      for (const mean of [600, 1800, 7200]) {
        for (let r = 0; r < 150; r++) {
          for (const proc of ['poisson', 'browsing', 'bursty-client'] as const) {
            const p = generateBenign(proc, { seed: seed++, events, meanIntervalSeconds: mean, sizeSigma: r % 2 === 0 ? 0.05 : 0.8 });
            n++;
            if (scorePair(p.intervals, p.sizes).score >= 0.7) flagged++;
          }
        }
      }
    }
    expect(n).toBe(5400);
    expect(flagged / n).toBeLessThanOrEqual(0.005);
  });
});

describe('bounded-sleep signal', () => {
  it('a sleep uniform in [a, k a] (k 2-8) over 40+ intervals alerts without a period (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 3600, noNaN: true }),
        fc.double({ min: 2, max: 8, noNaN: true }),
        fc.integer({ min: 40, max: 200 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (a, k, n, seed) => {
          // stratified uniform draws, shuffled: one per n-th of [a, k a]
          const rng = createRng(seed);
          const iv = Array.from({ length: n }, (_, i) => a * (1 + ((k - 1) * (i + rng.next())) / n));
          for (let i = n - 1; i > 0; i--) {
            const j = rng.int(0, i);
            [iv[i], iv[j]] = [iv[j]!, iv[i]!];
          }
          const r = scorePair(iv, []);
          expect(r.explanation.evidence!.outsideBounds).toBe(0);
          expect(r.explanation.evidence!.boundedSleep).toBeGreaterThanOrEqual(0.7);
          expect(r.score).toBeGreaterThanOrEqual(0.7);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays low on memoryless, browsing and bursty trains of any length', () => {
    const rng = createRng(9);
    for (const n of [20, 40, 100, 400]) {
      for (let r = 0; r < 100; r++) {
        const iv = Array.from({ length: n }, () => rng.exponential(100));
        expect(boundedSleepValueOf(iv)).toBeLessThan(0.7);
        for (const proc of ['browsing', 'bursty-client'] as const) {
          expect(boundedSleepValueOf(generateBenign(proc, { seed: n * 1000 + r, events: n + 1 }).intervals)).toBeLessThan(0.7);
        }
      }
    }
  });

  it('describeEvidence says how sample size bore on the score', () => {
    const tight = Array.from({ length: 40 }, (_, i) => 60 + (i % 3) * 0.2);
    const limited = scorePair(tight.slice(0, 5), []).explanation.evidence!;
    expect(limited.limited).toBe(true);
    expect(describeEvidence(limited)).toMatch(/^5 intervals rule out a memoryless process only at p = 0\.\d\d: limited by sample size, score capped at 0\.\d\d \(CRITICAL without the cap\)$/);
    expect(describeEvidence(scorePair(tight, []).explanation.evidence!)).toMatch(/^40 intervals rule out a memoryless process at p < 1e-\d+: enough evidence, no cap$/);
    // memoryless trains: a cap below 1 that the score did not reach
    const rng = createRng(3);
    const seen = new Set<string>();
    for (let r = 0; r < 50; r++) {
      const e = scorePair(Array.from({ length: 12 }, () => rng.exponential(600)), []).explanation.evidence!;
      const note = describeEvidence(e);
      expect(note).toMatch(/^12 intervals rule out a memoryless process only at p (= \d\.\d\d|< 1e-\d): (score capped at 0\.\d\d \(same severity without the cap\)|the score may not exceed 0\.\d\d \(not reached\))$/);
      seen.add(e.limited ? 'capped' : 'not reached');
    }
    expect([...seen].sort()).toEqual(['capped', 'not reached']);
  });

  it('says when the bounded-sleep signal set the score', () => {
    const rng = createRng(2);
    const iv = Array.from({ length: 75 }, () => rng.uniform(8, 60));
    const r = scorePair(iv, []);
    expect(r.explanation.evidence?.boundedDrove).toBe(true);
    expect(r.explanation.summary).toMatch(/bounded sleep: \d+ of 75 intervals within 0.125-2.5 x median/);
  });
});

function boundedSleepValueOf(iv: ArrayLike<number>): number {
  return boundedSleepValue(evidence(iv).log10Bounded);
}
