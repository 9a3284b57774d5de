import { describe, expect, it } from 'vitest';
import { OpenFlows } from './openFlows.js';
import { PairState } from './pairState.js';

function pair(slot: number): PairState {
  return new PairState(`p${slot}`, '10.0.0.1', '10.0.0.2', 443, 6, null, new Uint32Array(4), new Uint32Array(4), 0, slot);
}

describe('OpenFlows (second-chance eviction queue)', () => {
  it('evicts the least recently active flows and keeps the ones active since they opened', () => {
    const pairs = [pair(0), pair(1)];
    const flows = new OpenFlows(100, pairs);
    const p = pairs[0] as PairState;
    const hot = [1, 2, 3, 4, 5];
    let evicted = 0;
    for (let port = 1; port <= 5000; port++) {
      if (flows.open(p, port, port, false)) evicted += flows.evictOldest(10).length;
      if (port % 20 === 0) for (const h of hot) flows.open(p, h, port, true);
    }
    expect(flows.size).toBeLessThanOrEqual(100);
    expect(evicted).toBe(5000 - flows.size);
    expect(p.openFlows).toBe(flows.size);
    const open = new Set<number>();
    flows.forEach((_, start) => open.add(start));
    for (const h of hot) expect(open.has(h), `hot flow ${h}`).toBe(true);
    // the newest flows are held, the cold old ones went
    expect(open.has(5000)).toBe(true);
    expect(open.has(100)).toBe(false);
  });

  it('keeps the queue bounded when flows close without ever reaching the cap', () => {
    const pairs = [pair(0)];
    const flows = new OpenFlows(1000, pairs);
    const p = pairs[0] as PairState;
    for (let i = 0; i < 200_000; i++) {
      flows.open(p, i % 60_000, i, false);
      expect(flows.close(p, i % 60_000, i + 1, undefined)).toBe(1);
    }
    expect(flows.size).toBe(0);
    expect(flows.queued).toBeLessThanOrEqual(2 * 1024);
  });

  it('keeps no queue below the cap, builds one when over it, drops it below half the cap', () => {
    const pairs = [pair(0)];
    const flows = new OpenFlows(1000, pairs);
    const p = pairs[0] as PairState;
    for (let port = 1; port <= 900; port++) flows.open(p, port, port, false);
    expect(flows.queued).toBe(0);
    for (let port = 1; port <= 50; port++) flows.open(p, port, 1000 + port, true); // active again
    let evicted = 0;
    for (let port = 901; port <= 1200; port++) if (flows.open(p, port, port, false)) evicted += flows.evictOldest(10).length;
    expect(flows.size).toBeLessThanOrEqual(1000);
    expect(evicted).toBe(1200 - flows.size);
    expect(flows.queued).toBeGreaterThan(0);
    const open = new Set<number>();
    flows.forEach((_, start) => open.add(start));
    // the oldest idle flows went; the re-activated ones and the newest stayed
    expect(open.has(51)).toBe(false);
    for (const h of [1, 25, 50, 1200]) expect(open.has(h), `flow ${h}`).toBe(true);
    let closed = 0;
    for (let port = 1; port <= 1200; port++) if (flows.close(p, port, 5000, undefined) >= 0) closed++;
    expect(closed).toBe(1200 - evicted);
    expect(flows.size).toBe(0);
    expect(flows.queued).toBe(0);
    expect(p.openFlows).toBe(0);
  });
});
