import { describe, expect, it } from 'vitest';
import { computeMetrics, rocAuc } from './metrics.js';

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

describe('rocAuc', () => {
  it('is 1 for perfect separation and 0 for perfectly inverted', () => {
    expect(rocAuc([s(0.9, true), s(0.8, true), s(0.1, false)])).toBe(1);
    expect(rocAuc([s(0.1, true), s(0.9, false)])).toBe(0);
  });

  it('counts ties between classes as half', () => {
    expect(rocAuc([s(0.5, true), s(0.5, false)])).toBe(0.5);
    // pos {0.9, 0.5}, neg {0.5, 0.1}: pairs (0.9>0.5)=1, (0.9>0.1)=1, (0.5=0.5)=0.5, (0.5>0.1)=1 -> 3.5/4
    expect(rocAuc([s(0.9, true), s(0.5, true), s(0.5, false), s(0.1, false)])).toBe(0.875);
  });

  it('matches the pairwise definition on a random sample', () => {
    const items = Array.from({ length: 60 }, (_, i) => s(Math.round(Math.sin(i * 7.1) * 5) / 5, i % 3 === 0));
    let wins = 0;
    let pairs = 0;
    for (const p of items.filter((i) => i.beacon))
      for (const n of items.filter((i) => !i.beacon)) {
        pairs++;
        wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
      }
    expect(rocAuc(items)).toBeCloseTo(wins / pairs, 12);
  });
});
