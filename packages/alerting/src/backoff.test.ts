import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles up to the cap, each delay between half and all of the nominal one', () => {
    const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    const high = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
    const lows = Array.from({ length: 7 }, () => low.fail());
    const highs = Array.from({ length: 7 }, () => high.fail());
    expect(lows).toEqual([50, 100, 200, 400, 500, 500, 500]);
    highs.forEach((h, i) => expect(h).toBeCloseTo([100, 200, 400, 800, 1000, 1000, 1000][i]!, 2));
  });

  it('starts over after a success', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 10_000, random: () => 0 });
    b.fail();
    b.fail();
    b.fail();
    expect(b.failures).toBe(3);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.fail()).toBe(50);
  });

  it('spreads retries with jitter', () => {
    const b = new Backoff({ initialMs: 1000 });
    const delays = new Set(Array.from({ length: 20 }, () => (b.reset(), b.fail())));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(500);
  });
});

describe('Backoff with full jitter', () => {
  it('draws each delay in [0, nominal) and never records a failure for delayAfter', () => {
    const top = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 'full', random: () => 0.999999 });
    expect([1, 2, 3, 4, 11].map((n) => top.delayAfter(n))).toEqual([99, 199, 399, 799, 999]);
    expect(top.failures).toBe(0);
    expect(new Backoff({ initialMs: 100, jitter: 'full', random: () => 0 }).fail()).toBe(0);
  });
});
