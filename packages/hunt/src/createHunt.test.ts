import { describe, expect, it } from 'vitest';
import type { ConnectionEvent, Detection } from '@beacon/detector';
import { createHunt } from './createHunt.js';
import { isHuntError } from './huntError.js';
import { synthTraffic } from './internal/testing/synthTraffic.js';
import { createTickedHunt } from './internal/testing/tickedHunt.js';

const ev = (t: number, dst: string, extra: Partial<ConnectionEvent> = {}): ConnectionEvent => ({
  tsSec: t, tsNsec: 0, srcIp: '10.0.0.5', dstIp: dst, srcPort: 40000, dstPort: 443, protocol: 6,
  direction: 'egress', bytes: 100, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 'test', ...extra,
});

function feedInBatches(push: (b: ConnectionEvent[]) => void, events: readonly ConnectionEvent[], size = 4096): void {
  for (let i = 0; i < events.length; i += size) push(events.slice(i, i + size));
}

/** Pair key -> [score, isBeacon, benign label]. */
const summary = (ds: readonly Detection[]): Map<string, [number, boolean, string | null]> => new Map(ds.map((d) => [d.pairKey, [d.result.score, d.isBeacon, d.benignLabel]]));

describe('createHunt', () => {
  it('finds the same pairs with the same scores as analysing at every tick of data time', () => {
    // 12 hours of labelled synthetic traffic: every C2 profile, benign processes and benign
    // periodic services, with missed beats and tasking bursts, plus one-off connections.
    const { events } = synthTraffic({ seed: 5, pairsPerProfile: 6, events: [15, 300], missedFraction: 0.2, taskingBursts: 2, noiseRows: 3000 });
    const ticked = createTickedHunt();
    feedInBatches((b) => ticked.feed(b), events);
    const reference = summary(ticked.finish());
    const hunt = createHunt({ trusted: true });
    feedInBatches((b) => hunt.push(b), events);
    const fast = summary(hunt.finish());
    expect(reference.size).toBeGreaterThan(50);
    expect([...fast.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [key, [score, isBeacon, benign]] of reference) {
      const f = fast.get(key);
      expect(Math.abs((f?.[0] ?? -1) - score), key).toBeLessThan(0.01);
      expect(f?.[1], key).toBe(isBeacon);
      expect(f?.[2], key).toBe(benign);
    }
    expect([...fast.values()].filter((v) => v[1]).length).toBeGreaterThan(20);
    // One analysis instead of one per minute of data: 12 hours is 720 ticks.
    expect(hunt.counts.analyses).toBe(1);
    expect(ticked.counts.analyses).toBeGreaterThan(500);
  });

  it('scores before the pair cap evicts, so an early beacon keeps its detection', () => {
    const t0 = 1_700_000_000;
    // A 60 s beacon for half an hour, then many one-off pairs that push it out of a 40-pair cap.
    const beacon = Array.from({ length: 30 }, (_, i) => ev(t0 + i * 60, '203.0.113.9'));
    const noise = Array.from({ length: 400 }, (_, i) => ev(t0 + 1800 + i, `198.51.100.${i % 250}`, { dstPort: 1000 + i }));
    const hunt = createHunt({ detector: { maxPairs: 40 } });
    feedInBatches((b) => hunt.push(b), [...beacon, ...noise], 100);
    const found = hunt.finish().find((d) => d.dstIp === '203.0.113.9');
    expect(hunt.detector.pairCount).toBeLessThanOrEqual(40);
    expect(found?.isBeacon).toBe(true);
    expect(found?.connectionCount).toBe(30);
    expect(hunt.counts.analyses).toBeGreaterThan(1);
  });

  it('scores before a named event can make two pairs at the cap (its address pair and its name-keyed pair)', () => {
    const t0 = 1_700_000_000;
    // A 60 s beacon, then one-off pairs up to one below a 40-pair cap, the last named.
    const beacon = Array.from({ length: 30 }, (_, i) => ev(t0 + i * 60, '203.0.113.9'));
    const noise = Array.from({ length: 37 }, (_, i) => ev(t0 + 1800 + i, `198.51.100.${i}`, { dstPort: 1000 + i }));
    const named = ev(t0 + 1900, '192.0.2.1', { dstPort: 8443, serverName: 'cdn.example.net' });
    const hunt = createHunt({ detector: { maxPairs: 40 } });
    hunt.push([...beacon, ...noise, named]);
    expect(hunt.detector.pairCount).toBe(39);
    const evicted: string[] = [];
    hunt.detector.on('evicted', (e) => evicted.push(e.pairKey));
    // The same name on a second address: an address pair and a name-keyed pair, one over the cap.
    hunt.push([ev(t0 + 1901, '192.0.2.2', { dstPort: 8443, serverName: 'cdn.example.net' })]);
    expect(evicted).toEqual(['10.0.0.5->203.0.113.9:443/TCP']);
    expect(hunt.detector.pairCount).toBeLessThanOrEqual(40);
    const found = hunt.finish().find((d) => d.dstIp === '203.0.113.9');
    expect(found?.isBeacon).toBe(true);
    expect(found?.connectionCount).toBe(30);
    expect(hunt.counts.analyses).toBe(2);
  });

  it('counts bad events instead of throwing, and refuses a push after finish', () => {
    const hunt = createHunt();
    const bad = { ...ev(1_700_000_000, '203.0.113.9'), srcIp: 'not-an-ip' };
    hunt.push([bad, null as unknown as ConnectionEvent, ev(1_700_000_001, '203.0.113.9')]);
    expect(hunt.counts).toMatchObject({ events: 3, rejected: 2 });
    hunt.finish();
    let caught: unknown;
    try {
      hunt.push([ev(1_700_000_002, '203.0.113.9')]);
    } catch (error) {
      caught = error;
    }
    expect(isHuntError(caught) && caught.code).toBe('FINISHED');
  });
});
