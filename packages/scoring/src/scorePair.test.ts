import { generateBeacon, generateBenign } from '@beacon/synth';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, isScoringError, scorePair, ScoringError } from './index.js';

const beacon = (profile: Parameters<typeof generateBeacon>[0], opts: Parameters<typeof generateBeacon>[1] = {}) =>
  generateBeacon(profile, { seed: 11, beats: 40, ...opts });

describe('scorePair', () => {
  it('flags a jittered beacon and not a Poisson process at the same rate', () => {
    const b = beacon('cobalt-strike', { jitter: 0.3 });
    const r = scorePair(b.intervals, b.sizes);
    expect(r.score).toBeGreaterThanOrEqual(0.9);
    expect(r.severity).toBe('CRITICAL');
    const p = generateBenign('poisson', { seed: 11, events: 40, meanIntervalSeconds: 51 });
    const q = scorePair(p.intervals, p.sizes);
    expect(q.score).toBeLessThan(0.7);
    expect(q.severity).toBe('LOW');
  });

  it('reports the period of the event train in seconds, not of the interval sequence', () => {
    const b = beacon('sliver', { beats: 60 }); // 60 s + U(0, 30): mean sleep 75 s
    const r = scorePair(b.intervals, b.sizes);
    expect(r.periodSeconds).not.toBeNull();
    expect(r.periodSeconds!).toBeGreaterThan(70);
    expect(r.periodSeconds!).toBeLessThan(80);
    // a missed beat is folded: the period stays one beat, not two
    const iv = [60, 60, 120, 60, 60, 60, 180, 60, 60, 60];
    expect(scorePair(iv, []).periodSeconds).toBeCloseTo(60, 6);
  });

  it('lets one missed beat or one tasking burst move the score only a little', () => {
    const base = Array.from({ length: 30 }, (_, i) => 60 + ((i * 7) % 5) - 2);
    const s0 = scorePair(base, []).score;
    const missed = [...base.slice(0, 10), base[10]! + base[11]!, ...base.slice(12)];
    const burst = [...base.slice(0, 15), 1.5, 0.8, 2.1, base[15]! - 4.4, ...base.slice(16)];
    expect(s0).toBeGreaterThan(0.95);
    expect(Math.abs(scorePair(missed, []).score - s0)).toBeLessThan(0.05);
    expect(Math.abs(scorePair(burst, []).score - s0)).toBeLessThan(0.08);
    expect(scorePair(burst, []).score).toBeGreaterThan(0.85);
  });

  it.each([
    ['cobalt-strike', 0.5],
    ['sliver', 0.5],
    ['mythic', 0.23],
  ] as const)('still scores %s with its jitter (%s) as a beacon', (profile, jitter) => {
    for (let seed = 1; seed <= 20; seed++) {
      const b = generateBeacon(profile, { seed, beats: 30, jitter });
      expect(scorePair(b.intervals, b.sizes).score).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('scores the same pattern at 2 s and at 3,600 s the same', () => {
    const fast = generateBeacon('havoc', { seed: 5, beats: 50, periodSeconds: 2, missedFraction: 0.1, taskingBursts: 2 });
    const slow = fast.intervals.map((x) => x * 1800);
    const a = scorePair(fast.intervals, fast.sizes);
    const b = scorePair(slow, fast.sizes);
    expect(b.score).toBeCloseTo(a.score, 10);
    expect(b.periodSeconds! / a.periodSeconds!).toBeCloseTo(1800, 6);
    expect(b.stats.jitter / a.stats.jitter).toBeCloseTo(1800, 6);
  });

  it('gives score 0 with a reason for fewer than 3 intervals', () => {
    for (const iv of [[], [60], [60, 61]]) {
      const r = scorePair(iv, [100, 100]);
      expect(r.score).toBe(0);
      expect(r.notScored).toBe('too_few_samples');
      expect(r.severity).toBe('LOW');
      expect(r.explanation.summary).toMatch(/not scored/);
    }
    expect(scorePair([60, 60, 60], []).notScored).toBeUndefined();
  });

  it('rejects NaN, infinite and negative values with a typed error naming input and index', () => {
    const cases: Array<[number[], number[], string, RegExp]> = [
      [[60, 60, 60, 60, 60, 60, 60, Number.NaN], [], 'INVALID_INTERVAL', /^intervals\[7\] is NaN$/],
      [[60, Infinity, 60], [], 'INVALID_INTERVAL', /^intervals\[1\] is infinite$/],
      [[60, 60, -1], [], 'INVALID_INTERVAL', /^intervals\[2\] is negative/],
      [[60, 60, 60], [1, 2, Number.NaN], 'INVALID_SIZE', /^sizes\[2\] is NaN$/],
    ];
    for (const [iv, sz, code, msg] of cases) {
      let caught: unknown;
      try {
        scorePair(iv, sz);
      } catch (e) {
        caught = e;
      }
      expect(isScoringError(caught)).toBe(true);
      expect(caught).toBeInstanceOf(ScoringError);
      expect((caught as ScoringError).code).toBe(code);
      expect((caught as ScoringError).message).toMatch(msg);
    }
    expect(isScoringError(new Error('x'))).toBe(false);
    expect(isScoringError({ name: 'ScoringError', code: 'NOPE' })).toBe(false);
  });

  it('validates custom weights', () => {
    const iv = [60, 60, 61, 59];
    expect(() => scorePair(iv, [], { cv: -1 })).toThrow(/weights\.cv is negative/);
    expect(() => scorePair(iv, [], { jitter: Number.NaN })).toThrow(/weights\.jitter is NaN/);
    expect(() => scorePair(iv, [], { cv: 0, periodicity: 0, jitter: 0, size: 0 })).toThrow(/all zero/);
    try {
      scorePair(iv, [], { size: Infinity });
    } catch (e) {
      expect(isScoringError(e) && e.code).toBe('INVALID_WEIGHTS');
    }
    // only periodicity: the score is the periodicity component (on a train long enough that
    // the evidence cap is lifted)
    const long = Array.from({ length: 40 }, (_, i) => 60 + (i % 3) - 1);
    const r = scorePair(long, [5, 900, 3], { cv: 0, periodicity: 1, jitter: 0, size: 0 });
    expect(r.explanation.evidence?.cap).toBe(1);
    expect(r.score).toBeCloseTo(r.components.periodicity, 12);
  });

  it('explains the score: contributions sum to it, weights sum to 1', () => {
    const b = beacon('mythic', { taskingBursts: 1 });
    const r = scorePair(b.intervals, b.sizes);
    const sum = r.explanation.signals.reduce((a, s) => a + s.contribution, 0);
    expect(sum).toBeCloseTo(r.score, 12);
    expect(r.explanation.signals.reduce((a, s) => a + s.weight, 0)).toBeCloseTo(1, 12);
    expect(r.explanation.signals.map((s) => s.name)).toEqual(['cv', 'periodicity', 'jitter', 'size']);
    expect(r.explanation.summary).toMatch(/period/);
    expect(JSON.parse(JSON.stringify(r)).explanation.summary).toBe(r.explanation.summary);
  });

  it('treats empty sizes as neutral and redistributes the size weight, saying so', () => {
    const iv = [60, 61, 59, 60, 60, 62, 58];
    const r = scorePair(iv, []);
    const size = r.explanation.signals.find((s) => s.name === 'size')!;
    expect(size.weight).toBe(0);
    expect(r.sizeCount).toBe(0);
    const cv = r.explanation.signals.find((s) => s.name === 'cv')!;
    expect(cv.weight).toBeCloseTo(DEFAULT_WEIGHTS.cv / (1 - DEFAULT_WEIGHTS.size), 12);
    expect(r.explanation.summary).toMatch(/no payload sizes/);
  });

  it('scores a 0-byte reconnect loop as perfectly size-regular', () => {
    const b = beacon('njrat');
    expect(Array.from(b.sizes).every((s) => s === 0)).toBe(true);
    const r = scorePair(b.intervals, b.sizes);
    expect(r.components.size).toBe(1);
    expect(r.score).toBeGreaterThan(0.9);
  });

  it('accepts plain arrays and Float64Array alike', () => {
    const b = beacon('empire', { jitter: 0.2 });
    const a = scorePair(b.intervals, b.sizes);
    const c = scorePair(Array.from(b.intervals), Array.from(b.sizes));
    expect(c.score).toBe(a.score);
    expect(c.stats).toEqual(a.stats);
  });

  it('does not score simultaneous events (all intervals 0) as a beacon', () => {
    const r = scorePair([0, 0, 0, 0, 0, 0], [10, 10, 10, 10, 10, 10, 10]);
    expect(r.score).toBeLessThan(0.7);
    expect(r.periodSeconds).toBeNull();
  });
});
