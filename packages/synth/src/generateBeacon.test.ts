import { describe, expect, it } from 'vitest';
import { BOUNDED_SLEEP_PROFILE_NAMES, C2_PROFILE_NAMES, C2_PROFILES, generateBeacon, isSynthError, sleepRatioJitter } from './index.js';

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

  it('caldera sleeps uniformly between a and k a (k 2-8), with no single period', () => {
    for (const k of [2, 5, 8]) {
      const p = generateBeacon('caldera', { seed: k, beats: 2000, jitter: sleepRatioJitter(k), periodSeconds: 8 * k });
      const [lo, hi] = minMax(p.intervals);
      expect(lo).toBeGreaterThanOrEqual(8);
      expect(hi).toBeLessThanOrEqual(8 * k);
      expect(lo).toBeLessThan(8 + 0.02 * 8 * k);
      expect(hi).toBeGreaterThan(8 * k * 0.98);
      // uniform: each quarter of [a, k a] holds about a quarter of the sleeps
      const q = [0, 0, 0, 0];
      for (const x of p.intervals) q[Math.min(3, Math.floor(((x - 8) / (8 * k - 8)) * 4))]!++;
      for (const c of q) expect(c / p.intervals.length).toBeCloseTo(0.25, 1);
    }
    expect(BOUNDED_SLEEP_PROFILE_NAMES).toEqual(['caldera', 'caldera-keepalive']);
    expect(() => sleepRatioJitter(0.5)).toThrow(/sleep ratio/);
  });

  it('the keep-alive caldera profile has the same callback times, marked keep-alive', () => {
    const sep = generateBeacon('caldera', { seed: 3, beats: 40 });
    const ka = generateBeacon('caldera-keepalive', { seed: 3, beats: 40 });
    expect(C2_PROFILES['caldera-keepalive'].connection).toBe('keep-alive');
    expect(C2_PROFILES['keepalive-c2'].connection).toBe('keep-alive');
    expect(C2_PROFILES.caldera.connection).toBeUndefined();
    expect(Array.from(ka.timestamps)).toEqual(Array.from(sep.timestamps));
    expect(ka.profile).toBe('caldera-keepalive');
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
