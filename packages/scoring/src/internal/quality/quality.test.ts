import { describe, expect, it } from 'vitest';
import { evaluateQuality } from './evaluateQuality.js';

describe('detection quality on the labelled synthetic set (regression guard)', () => {
  const report = evaluateQuality({ seed: 3, pairsPerProfile: 80 });

  it('recall >= 0.95 for every C2 profile with jitter up to 50 %', () => {
    for (const row of report.rows.filter((r) => r.label === 'c2' && r.scenario === 'jitter 0-50 %')) {
      expect({ profile: row.profile, recall: row.beacon }).toEqual({ profile: row.profile, recall: expect.toSatisfy((x: number) => x >= 0.95) });
    }
  });

  it('recall >= 0.90 with 25 % of beats missed', () => {
    for (const row of report.rows.filter((r) => r.label === 'c2' && r.scenario === '25 % beats missed')) {
      expect({ profile: row.profile, recall: row.beacon }).toEqual({ profile: row.profile, recall: expect.toSatisfy((x: number) => x >= 0.9) });
    }
  });

  it('false-positive rate <= 0.5 % on benign pairs and ROC-AUC >= 0.99', () => {
    expect(report.fpr.n).toBeGreaterThan(400);
    expect(report.fpr.beacon).toBeLessThanOrEqual(0.005);
    expect(report.auc.beacon).toBeGreaterThanOrEqual(0.99);
  });

  it('bounded sleep (uniform in [a, k a], k 2-8, 40+ callbacks): recall >= 0.90 for every k', () => {
    expect(report.bounded.map((b) => b.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (const b of report.bounded) expect({ k: b.k, recall: b.beacon }).toEqual({ k: b.k, recall: expect.toSatisfy((x: number) => x >= 0.9) });
    expect(report.boundedAuc.beacon).toBeGreaterThanOrEqual(0.99);
  });

  it('beats the original formula', () => {
    expect(report.auc.beacon).toBeGreaterThan(report.auc.original);
  });
});

