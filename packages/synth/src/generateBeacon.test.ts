import { describe, expect, it } from 'vitest';
import { C2_PROFILE_NAMES, C2_PROFILES, generateBeacon, isSynthError } from './index.js';

const minMax = (a: Float64Array): [number, number] => [Math.min(...a), Math.max(...a)];

describe('generateBeacon', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateBeacon('cobalt-strike', { seed: 9, beats: 50, missedFraction: 0.2, taskingBursts: 2 });
    const b = generateBeacon('cobalt-strike', { seed: 9, beats: 50, missedFraction: 0.2, taskingBursts: 2 });
    const c = generateBeacon('cobalt-strike', { seed: 10, beats: 50, missedFraction: 0.2, taskingBursts: 2 });
    expect(Array.from(a.timestamps)).toEqual(Array.from(b.timestamps));
    expect(Array.from(a.sizes)).toEqual(Array.from(b.sizes));
    expect(Array.from(a.timestamps)).not.toEqual(Array.from(c.timestamps));
    expect(a.label).toBe('c2');
    expect(a.id).toBe('cobalt-strike#9');
  });

  it('Cobalt Strike jitter only shortens the sleep: intervals in [P(1-j), P]', () => {
    const p = generateBeacon('cobalt-strike', { seed: 1, beats: 500, jitter: 0.5 });
    const [lo, hi] = minMax(p.intervals);
    expect(lo).toBeGreaterThanOrEqual(30);
    expect(hi).toBeLessThanOrEqual(60);
    expect(lo).toBeLessThan(32);
    expect(hi).toBeGreaterThan(58);
  });

  it('Sliver adds up to 30 s to 60 s; Mythic is 10 s +-23 %', () => {
    const [slo, shi] = minMax(generateBeacon('sliver', { seed: 2, beats: 500 }).intervals);
    expect(slo).toBeGreaterThanOrEqual(60);
    expect(shi).toBeLessThanOrEqual(90);
    expect(shi).toBeGreaterThan(88);
    const [mlo, mhi] = minMax(generateBeacon('mythic', { seed: 3, beats: 500 }).intervals);
    expect(mlo).toBeGreaterThanOrEqual(7.7);
    expect(mhi).toBeLessThanOrEqual(12.3);
  });

  it('missed beats leave intervals near 2P and 3P and fewer events', () => {
    const p = generateBeacon('havoc', { seed: 4, beats: 400, jitter: 0, missedFraction: 0.25 });
    expect(p.timestamps.length).toBeLessThan(340);
    expect(p.timestamps.length).toBeGreaterThan(260);
    const multiples = new Set(Array.from(p.intervals, (x) => Math.round(x / 2)));
    expect(multiples.has(1) && multiples.has(2) && multiples.has(3)).toBe(true);
    for (const x of p.intervals) expect(Math.abs(x / 2 - Math.round(x / 2))).toBeLessThan(1e-6);
  });

  it('tasking bursts add short intervals with larger payloads', () => {
    const p = generateBeacon('mythic', { seed: 5, beats: 50, taskingBursts: 3 });
    expect(p.timestamps.length).toBeGreaterThanOrEqual(56);
    const short = Array.from(p.intervals).filter((x) => x < 1);
    expect(short.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...p.sizes)).toBeGreaterThan(900);
    for (let i = 1; i < p.timestamps.length; i++) expect(p.timestamps[i]!).toBeGreaterThanOrEqual(p.timestamps[i - 1]!);
  });

  it('njrat-style loops carry 0 bytes; every profile yields consistent arrays', () => {
    expect(Array.from(generateBeacon('njrat', { seed: 6 }).sizes).every((s) => s === 0)).toBe(true);
    for (const name of C2_PROFILE_NAMES) {
      const p = generateBeacon(name, { seed: 7, beats: 30 });
      expect(p.profile).toBe(name);
      expect(p.sizes.length).toBe(p.timestamps.length);
      expect(p.intervals.length).toBe(p.timestamps.length - 1);
      expect(p.params.periodSeconds).toBe(C2_PROFILES[name].periodSeconds);
    }
  });

  it('rejects bad options with a typed error naming the option', () => {
    expect(() => generateBeacon('cobalt-strike', { beats: 1 })).toThrow(/beats/);
    expect(() => generateBeacon('cobalt-strike', { jitter: 1.5 })).toThrow(/jitter/);
    expect(() => generateBeacon('cobalt-strike', { missedFraction: Number.NaN })).toThrow(/missedFraction/);
    let err: unknown;
    try {
      generateBeacon('nope' as 'sliver');
    } catch (e) {
      err = e;
    }
    expect(isSynthError(err) && err.code).toBe('UNKNOWN_PROFILE');
  });
});
