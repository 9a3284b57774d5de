import { describe, expect, it } from 'vitest';
import { cvScore, fitEventTrain, jitterScore, periodicityScore, robustCv, severityOf, sizeScore, normalizeWeights, isScoringError } from '../index.js';

describe('robustCv', () => {
  it('is 1.4826 * MAD / median', () => {
    // median 10, deviations 0,1,1,2,8 -> MAD 1
    expect(robustCv([10, 9, 11, 8, 18])).toBeCloseTo(1.4826 / 10, 12);
  });
  it('is 0 for all-equal values, including all zero', () => {
    expect(robustCv([5, 5, 5])).toBe(0);
    expect(robustCv([0, 0, 0, 0])).toBe(0);
  });
  it('falls back to stdDev / mean when the median is 0 but not all values are', () => {
    expect(robustCv([0, 0, 0, 4])).toBeCloseTo(Math.sqrt(3) , 12);
  });
  it('is NaN for empty input', () => {
    expect(robustCv([])).toBeNaN();
  });
});

describe('signals', () => {
  it('cvScore follows 1 / (1 + (rcv / 0.55)^4)', () => {
    const iv = [10, 9, 11, 8, 18];
    const s = cvScore(iv);
    expect(s.rawValue).toBeCloseTo(0.14826, 10);
    expect(s.score).toBeCloseTo(1 / (1 + (0.14826 / 0.55) ** 4), 10);
    expect(s.threshold).toBe(0.55);
  });

  it('cvScore separates Cobalt Strike 50 % jitter from Poisson', () => {
    const n = 2001;
    const uniform = Array.from({ length: n }, (_, i) => 60 * (1 - 0.5 * (i / (n - 1))));
    const expo = Array.from({ length: n }, (_, i) => -Math.log(1 - (i + 0.5) / n));
    expect(cvScore(uniform).rawValue).toBeCloseTo(0.247, 2);
    expect(cvScore(uniform).score).toBeGreaterThan(0.9);
    expect(cvScore(expo).rawValue).toBeGreaterThan(0.95);
    expect(cvScore(expo).score).toBeLessThan(0.15);
  });

  it('fitEventTrain folds missed beats, merges bursts and fits the period on the train', () => {
    const iv = [30, 30, 60, 30, 1, 29, 30, 90, 30, 30];
    const fit = fitEventTrain(iv);
    expect(fit.periodSeconds).toBeCloseTo(30, 10);
    expect(fit.missedBeats).toBe(3);
    expect(fit.short).toBe(1);
    expect(fit.gaps).toBe(0);
    expect(fit.onGrid).toBe(9);
    expect(fit.explainedFraction).toBeCloseTo(9 / (9 + 0.5 + 1.5), 12);
    expect(fit.relativeJitter).toBeCloseTo(0, 12);
  });

  it('fitEventTrain treats gaps of more than 3.5 periods as silences', () => {
    const fit = fitEventTrain([10, 10, 10, 100, 10, 10]);
    expect(fit.gaps).toBe(1);
    expect(fit.periodSeconds).toBeCloseTo(10, 12);
  });

  it('fitEventTrain returns an empty fit for fewer than 3 intervals', () => {
    const fit = fitEventTrain([5, 5]);
    expect(fit.periodSeconds).toBeNull();
    expect(fit.explainedFraction).toBe(0);
  });

  it('periodicityScore is high for a beacon and low for an irregular train', () => {
    expect(periodicityScore([60, 61, 59, 60, 120, 60, 60, 61]).score).toBe(1);
    const irregular = [3, 40, 1, 200, 17, 5, 90, 0.5, 33, 300, 2, 12];
    expect(periodicityScore(irregular).score).toBeLessThan(0.3);
    expect(periodicityScore([60, 61, 59]).periodSeconds).toBeCloseTo(60, 10);
  });

  it('jitterScore survives one tasking burst (unlike a max-deviation measure)', () => {
    const clean = Array.from({ length: 30 }, (_, i) => 60 + (i % 3) - 1);
    const burst = [...clean.slice(0, 10), 0.7, 0.9, clean[10]! - 1.6, ...clean.slice(11)];
    expect(jitterScore(clean).score).toBeGreaterThan(0.99);
    expect(jitterScore(burst).score).toBeGreaterThan(0.95);
  });

  it('sizeScore: equal sizes score 1, widely varying sizes score low, order is irrelevant', () => {
    expect(sizeScore([0, 0, 0]).score).toBe(1);
    expect(sizeScore([310, 310, 310]).score).toBe(1);
    const wild = [64, 1400, 300, 900, 120, 1300, 64, 700];
    expect(sizeScore(wild).score).toBeLessThan(0.5);
    expect(sizeScore([...wild].reverse()).score).toBe(sizeScore(wild).score);
    expect(sizeScore([]).score).toBe(0);
  });

  it('each signal validates its input', () => {
    for (const f of [cvScore, periodicityScore, jitterScore]) {
      expect(() => f([1, -2, 3])).toThrow(/intervals\[1\] is negative/);
    }
    expect(() => sizeScore([1, 2, Infinity])).toThrow(/sizes\[2\] is infinite/);
  });
});

describe('severityOf and weights', () => {
  it('uses the original table', () => {
    expect(severityOf(0.9)).toBe('CRITICAL');
    expect(severityOf(0.8999)).toBe('HIGH');
    expect(severityOf(0.8)).toBe('HIGH');
    expect(severityOf(0.7)).toBe('MEDIUM');
    expect(severityOf(0.6999)).toBe('LOW');
    expect(severityOf(0)).toBe('LOW');
  });
  it('normalizes weights and fills defaults', () => {
    expect(normalizeWeights({ cv: 1, periodicity: 1, jitter: 1, size: 1 })).toEqual({ cv: 0.25, periodicity: 0.25, jitter: 0.25, size: 0.25 });
    const w = normalizeWeights({ size: 0 });
    expect(w.cv).toBeCloseTo(0.35 / 0.85, 12);
    let err: unknown;
    try {
      normalizeWeights({ periodicity: Number.POSITIVE_INFINITY });
    } catch (e) {
      err = e;
    }
    expect(isScoringError(err) && err.message).toBe('weights.periodicity is Infinity, expected a finite number');
  });
});
