import { describe, expect, it } from 'vitest';
import { eventSpectrum } from './spectrum.js';

describe('eventSpectrum (fft.js)', () => {
  it('finds the period of a jittered beacon, not a harmonic', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const times: number[] = [];
    let t = 0;
    for (let i = 0; i < 200; i++) times.push((t += 60 * (0.8 + 0.2 * rand())));
    const s = eventSpectrum(times);
    expect(s.peakPeriod).not.toBeNull();
    expect(Math.abs((s.peakPeriod as number) - 54) / 54).toBeLessThan(0.1);
    expect(Math.max(...s.points.map((p) => p.power))).toBeCloseTo(1, 9);
  });

  it('returns nothing for too few events', () => {
    expect(eventSpectrum([1, 2, 3])).toEqual({ points: [], peakPeriod: null, binSeconds: 0 });
  });
});
