import { describe, expect, it } from 'vitest';
import { intervalsOf, logHistogram, peakBin } from './histogram.js';

describe('log histogram', () => {
  it('puts a 45 s beacon with tasking bursts in a peak bin around 45 s', () => {
    const times: number[] = [];
    for (let i = 0; i < 100; i++) times.push(1000 + i * 45 + (i % 3) * 0.2);
    times.push(1000 + 10 * 45 + 1, 1000 + 10 * 45 + 2); // a burst of tasking
    times.sort((a, b) => a - b);
    const bins = logHistogram(intervalsOf(times));
    const peak = peakBin(bins)!;
    expect(peak.lo).toBeLessThanOrEqual(45);
    expect(peak.hi).toBeGreaterThan(45);
    expect(peak.count).toBeGreaterThan(90);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(times.length - 1);
    // contiguous edges
    for (let i = 1; i < bins.length; i++) expect(bins[i]!.lo).toBeCloseTo(bins[i - 1]!.hi, 9);
  });

  it('is empty without intervals and skips same-time events', () => {
    expect(logHistogram([])).toEqual([]);
    expect(peakBin([])).toBeUndefined();
    expect(intervalsOf([5, 5, 6])).toEqual([1]);
  });
});

describe('log histogram anchor', () => {
  it('centres the period in its bin', () => {
    const bins = logHistogram([59.9, 60, 60.1, 30], 20, 60);
    const peak = peakBin(bins)!;
    expect(peak.mid).toBeCloseTo(60, 9);
    expect(peak.count).toBe(3);
  });
});
