import { describe, expect, it } from 'vitest';
import { computeMetrics } from './metrics.js';

const s = (score: number, beacon: boolean): { score: number; beacon: boolean } => ({ score, beacon });

describe('computeMetrics', () => {
  it('counts a known confusion matrix', () => {
    const m = computeMetrics([s(0.95, true), s(0.8, true), s(0.3, true), s(0.75, false), s(0.2, false), s(0.1, false), s(0.7, false)], 0.7);
    expect([m.tp, m.fn, m.fp, m.tn]).toEqual([2, 1, 2, 2]);
    expect(m.precision).toBeCloseTo(0.5);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
    expect(m.false_positive_rate).toBeCloseTo(0.5);
    expect(m.notes).toEqual([]);
  });

  it('flags at exactly the threshold', () => {
    expect(computeMetrics([s(0.7, true)], 0.7).tp).toBe(1);
  });

  it('gives null with a note when a class is empty', () => {
    const m = computeMetrics([s(0.2, false), s(0.9, false)], 0.7);
    expect(m.recall).toBeNull();
    expect(m.f1).toBeNull();
    expect(m.roc_auc).toBeNull();
    expect(m.false_positive_rate).toBe(0.5);
    expect(m.notes.join(' ')).toMatch(/no beacon/);
    const none = computeMetrics([s(0.2, true)], 0.7);
    expect(none.precision).toBeNull();
    expect(none.recall).toBe(0);
    expect(none.false_positive_rate).toBeNull();
  });
});

describe('roc_auc', () => {
  it('is the shared rocAuc over beacons and non-beacons, ties counting half', () => {
    expect(computeMetrics([s(0.9, true), s(0.5, true), s(0.5, false), s(0.1, false)], 0.7).roc_auc).toBe(0.875);
    expect(computeMetrics([s(0.1, true), s(0.9, false)], 0.7).roc_auc).toBe(0);
  });
});
