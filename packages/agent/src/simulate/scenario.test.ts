import { describe, expect, it } from 'vitest';
import { buildScenario, timeline, toEvent } from './scenario.js';

describe('simulation scenario', () => {
  it('plants the beacons and noise within the duration, deterministically', () => {
    const a = buildScenario({ durationSeconds: 3600, noisePairs: 6, seed: 3 });
    const b = buildScenario({ durationSeconds: 3600, noisePairs: 6, seed: 3 });
    expect(a.map((p) => p.offsets.length)).toEqual(b.map((p) => p.offsets.length));
    expect(a.filter((p) => p.label === 'c2')).toHaveLength(3);
    expect(a.filter((p) => p.label === 'benign')).toHaveLength(6);
    for (const p of a) {
      expect(p.offsets.length).toBeGreaterThan(2);
      expect(p.offsets.at(-1)).toBeLessThanOrEqual(3600);
    }
    // A 60 s beacon over an hour gives roughly 60-80 callbacks (20 % one-sided jitter shortens sleeps).
    const cs = a.find((p) => p.profile === 'cobalt-strike')!;
    expect(cs.offsets.length).toBeGreaterThan(55);
    expect(cs.offsets.length).toBeLessThan(80);
  });

  it('orders the timeline and builds valid events', () => {
    const pairs = buildScenario({ durationSeconds: 600, noisePairs: 3 });
    const t = timeline(pairs);
    for (let i = 1; i < t.length; i++) expect(t[i]!.offset).toBeGreaterThanOrEqual(t[i - 1]!.offset);
    const e = toEvent(pairs, t[0]!, 1_700_000_000, 'sim');
    expect(e.tsSec).toBeGreaterThanOrEqual(1_700_000_000);
    expect(e.srcPort).toBeGreaterThanOrEqual(32768);
    expect(e.node).toBe('sim');
  });
});
