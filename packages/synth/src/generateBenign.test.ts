import { describe, expect, it } from 'vitest';
import { BENIGN_PERIODIC_NAMES, createRng, mulberry32, generateBenign, generateDataset, isSynthError, C2_PROFILE_NAMES } from './index.js';

const cv = (a: Float64Array): number => {
  const m = a.reduce((x, y) => x + y, 0) / a.length;
  return Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / a.length) / m;
};

describe('generateBenign', () => {
  it('poisson has the requested mean interval and CV near 1', () => {
    const p = generateBenign('poisson', { seed: 1, events: 5000, meanIntervalSeconds: 45 });
    const mean = p.intervals.reduce((a, b) => a + b, 0) / p.intervals.length;
    expect(mean).toBeGreaterThan(42);
    expect(mean).toBeLessThan(48);
    expect(cv(p.intervals)).toBeGreaterThan(0.9);
    expect(cv(p.intervals)).toBeLessThan(1.1);
    expect(p.label).toBe('benign');
  });

  it('browsing and bursty clients are far burstier than Poisson', () => {
    for (const name of ['browsing', 'bursty-client'] as const) {
      const p = generateBenign(name, { seed: 2, events: 2000 });
      expect(p.timestamps.length).toBe(2000);
      expect(cv(p.intervals)).toBeGreaterThan(2);
    }
  });

  it('periodic services are labelled benign-periodic and are periodic', () => {
    for (const name of BENIGN_PERIODIC_NAMES) {
      const p = generateBenign(name, { seed: 3, events: 100 });
      expect(p.label).toBe('benign-periodic');
      expect(cv(p.intervals)).toBeLessThan(0.05);
    }
    const ntp = generateBenign('ntp', { seed: 3, events: 10 });
    expect(Array.from(ntp.sizes).every((s) => s === 48)).toBe(true);
  });

  it('is deterministic and validates options', () => {
    const a = generateBenign('browsing', { seed: 8, events: 60 });
    const b = generateBenign('browsing', { seed: 8, events: 60 });
    expect(Array.from(a.timestamps)).toEqual(Array.from(b.timestamps));
    expect(() => generateBenign('poisson', { events: 0 })).toThrow(/events/);
    let err: unknown;
    try {
      generateBenign('poisson', { meanIntervalSeconds: -1 });
    } catch (e) {
      err = e;
    }
    expect(isSynthError(err) && err.code).toBe('INVALID_OPTION');
  });
});

describe('generateDataset', () => {
  it('produces labelled pairs for every profile, reproducibly', () => {
    const pairs = generateDataset({ seed: 4, pairsPerProfile: 5, events: [20, 30], missedFraction: 0.1, taskingBursts: 1 });
    expect(pairs.filter((p) => p.label === 'c2')).toHaveLength(5 * C2_PROFILE_NAMES.length);
    expect(pairs.filter((p) => p.label === 'benign')).toHaveLength(15);
    expect(pairs.filter((p) => p.label === 'benign-periodic')).toHaveLength(15);
    for (const p of pairs.filter((q) => q.label !== 'c2')) {
      expect(p.timestamps.length).toBeGreaterThanOrEqual(20);
      expect(p.timestamps.length).toBeLessThanOrEqual(30);
    }
    const again = generateDataset({ seed: 4, pairsPerProfile: 5, events: [20, 30], missedFraction: 0.1, taskingBursts: 1 });
    expect(again.map((p) => p.timestamps[p.timestamps.length - 1])).toEqual(pairs.map((p) => p.timestamps[p.timestamps.length - 1]));
    expect(new Set(pairs.map((p) => p.id)).size).toBe(pairs.length);
  });
});

describe('createRng', () => {
  it('gives uniform doubles in [0, 1) and inclusive integers', () => {
    const rng = createRng(1);
    let sum = 0;
    let outside = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      seen.add(rng.int(1, 3));
    }
    expect(outside).toBe(0);
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });
});

describe('mulberry32', () => {
  it('gives the reference mulberry32 sequence, the same every run', () => {
    // Known answers of the published algorithm (seed 1 starts at 0.6270739405881613).
    expect(mulberry32(1)()).toBe(0.6270739405881613);
    const a = mulberry32(7);
    expect([a(), a(), a()]).toEqual([0.011704753153026104, 0.06195825757458806, 0.97690763277933]);
    const b = mulberry32(7);
    expect([b(), b(), b()]).toEqual([0.011704753153026104, 0.06195825757458806, 0.97690763277933]);
  });

  it('stays in [0, 1) and treats the seed as 32 bits', () => {
    const next = mulberry32(-5);
    const same = mulberry32(2 ** 32 - 5);
    let outside = 0;
    for (let i = 0; i < 10000; i++) {
      const x = next();
      if (!(x >= 0 && x < 1)) outside++;
      expect(same()).toBe(x);
    }
    expect(outside).toBe(0);
  });
});
