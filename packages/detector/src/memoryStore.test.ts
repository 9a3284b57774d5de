import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { Detector } from './detector.js';
import type { DetectorState } from './detectorState.js';
import { MemoryStore } from './memoryStore.js';
import { beacon, ev } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

const withoutTime = (s: DetectorState): Omit<DetectorState, 'exportedAt'> => {
  const { exportedAt: _, ...rest } = s;
  return rest;
};

async function restore(store: MemoryStore, now: () => number, config = {}): Promise<Detector> {
  const state = await store.load();
  expect(state).not.toBeNull();
  const d = createDetector({ now, config });
  d.importState(state as DetectorState);
  return d;
}

describe('exportDelta and MemoryStore', () => {
  it('rebuilds the exact state from a sequence of deltas (ingest, analysis, eviction, expiry, clearBeacons)', async () => {
    let now = T0 + 3600;
    const clock = (): number => now;
    const config = { maxPairs: 4 };
    const d = createDetector({ now: clock, config });
    const store = new MemoryStore();
    expect(await store.load()).toBeNull();

    d.ingestBatch([...beacon(T0, 60, 60, 0.02, 1), ...beacon(T0, 30, 120, 0.02, 2, { dstIp: '198.51.100.2' })]);
    d.ingest(ev(T0 + 10, { dstIp: '198.51.100.3', srcPort: 1000 }));
    d.analyze();
    const first = d.exportDelta();
    expect(first.pairs).toHaveLength(3);
    expect(first.beacons.map((b) => b.pairKey).sort()).toEqual(['10.0.0.5->198.51.100.2:443/TCP', '10.0.0.5->203.0.113.9:443/TCP']);
    expect(first.cooldowns).toHaveLength(2);
    await store.save(first);

    // nothing changed: an empty delta apart from the counters
    const idle = d.exportDelta();
    expect([idle.pairs, idle.removedPairs, idle.beacons, idle.removedBeacons, idle.cooldowns, idle.removedCooldowns]).toEqual([[], [], [], [], [], []]);
    expect(idle.counters.recordsAdded).toBe(181);

    // one pair touched, two new ones push the least recently seen out of the 4-pair cap
    d.ingest(ev(T0 + 3600));
    for (const host of [4, 5]) d.ingest(ev(T0 + 3601, { dstIp: `198.51.100.${host}`, kind: 'flow_end' })); // no open flow: can expire
    const second = d.exportDelta();
    expect(second.pairs.map((p) => p.dstIp)).toEqual(['203.0.113.9', '198.51.100.4', '198.51.100.5']);
    expect(second.removedPairs).toEqual(['10.0.0.5->198.51.100.2:443/TCP']);
    expect(second.removedBeacons).toEqual(['10.0.0.5->198.51.100.2:443/TCP']);
    expect(second.removedCooldowns).toEqual(['10.0.0.5->198.51.100.2:443/TCP']);
    await store.save(second);

    // expiry of idle pairs, a re-analysis, then clearBeacons
    now = T0 + 3600 + 7300;
    d.ingest(ev(T0 + 3660));
    expect(d.cleanup()).toBe(2);
    d.analyze();
    await store.save(d.exportDelta());
    d.clearBeacons();
    const cleared = d.exportDelta();
    expect(cleared.removedBeacons).toEqual(['10.0.0.5->203.0.113.9:443/TCP']);
    expect(cleared.removedCooldowns).toEqual(['10.0.0.5->203.0.113.9:443/TCP']);
    await store.save(cleared);
    d.analyze(); // nothing new to score
    d.ingest(ev(T0 + 3720));
    d.analyze(); // a beacon again, and a fresh alert
    await store.save(d.exportDelta());

    const e = await restore(store, clock, config);
    const want = d.exportState();
    expect(want.beacons).toHaveLength(1);
    expect(want.cooldowns).toHaveLength(1);
    expect(want.counters.pairEvictions).toBe(1);
    expect(want.counters.expiredPairs).toBe(2);
    expect(withoutTime(e.exportState())).toEqual(withoutTime(want));
    expect(e.beacons()).toEqual(d.beacons());
    // after an import the store already holds the state: nothing pending
    const after = e.exportDelta();
    expect([after.pairs, after.removedPairs, after.beacons, after.removedBeacons, after.cooldowns, after.removedCooldowns]).toEqual([[], [], [], [], [], []]);
    await store.close();
    await expect(store.save(after)).rejects.toThrow(/closed/);
  });

  it('keeps removals and upserts disjoint when a pair is evicted and seen again', async () => {
    const d = createDetector({ config: { maxPairs: 1 } });
    const store = new MemoryStore();
    d.ingest(ev(T0, { dstIp: '198.51.100.1' }));
    await store.save(d.exportDelta());
    d.ingest(ev(T0 + 1, { dstIp: '198.51.100.2' })); // evicts .1
    d.ingest(ev(T0 + 2, { dstIp: '198.51.100.1' })); // evicts .2, .1 is back
    const delta = d.exportDelta();
    expect(delta.pairs.map((p) => p.dstIp)).toEqual(['198.51.100.1']);
    expect(delta.removedPairs).toEqual(['10.0.0.5->198.51.100.2:443/TCP']);
    await store.save(delta);
    expect((await store.load())?.pairs.map((p) => [p.dstIp, p.times.length])).toEqual([['198.51.100.1', 1]]);
  });

  it('rejects a bad snapshot naming the path, leaving the state unchanged', () => {
    const d = createDetector();
    d.ingestBatch(beacon(T0, 60, 12, 0, 1));
    const snap = d.exportState();
    const bad = { ...snap, pairs: [{ ...snap.pairs[0], times: [T0, Number.NaN] }] };
    expect(() => d.importState(bad as DetectorState)).toThrow(/pairs\.0\.times\.1/);
    expect(() => d.importState({ ...snap, pairs: [{ ...snap.pairs[0], srcIp: '10.0.0' }] } as DetectorState)).toThrow(/pairs\.0\.srcIp/);
    expect(d.pairs()).toHaveLength(1);
  });
});

describe('trusted batches and open-flow caps', () => {
  it('ingests trusted chunks without counting each as a batch', () => {
    const d = createDetector();
    const events = beacon(T0, 60, 20, 0, 1);
    const a = d.ingestBatch(events.slice(0, 10), { trusted: true });
    const b = d.ingestBatch(events.slice(10), { trusted: true, countBatch: false });
    expect(a.accepted + b.accepted).toBe(20);
    expect(d.stats().storage.batches_received).toBe(1);
    expect(d.pairs()[0]?.connectionCount).toBe(20);
  });

  it('evicts the least recently active open flows past the cap, and drops flows of evicted pairs', () => {
    const d = createDetector({ config: { maxOpenFlows: 4, maxPairs: 2 } });
    const evicted: string[] = [];
    d.on('evicted', (e) => evicted.push(`${e.reason} ${e.pairKey}`));
    for (let i = 0; i < 4; i++) d.ingest(ev(T0 + i, { srcPort: 1000 + i }));
    d.ingest(ev(T0 + 10, { srcPort: 1000, kind: 'burst' })); // 1000 active again
    d.ingest(ev(T0 + 11, { srcPort: 1004 }));
    expect(d.stats().evictions.open_flows).toBe(1);
    expect(d.stats().storage.open_flows).toBe(4);
    expect(d.ingest(ev(T0 + 12, { srcPort: 1001, kind: 'flow_end' }))).toBe('accepted');
    expect(d.pairs()[0]?.connectionCount).toBe(6); // 5 starts and a burst: 1001's start was counted, so its end (the flow forgotten by the cap) is not counted again
    d.ingest(ev(T0 + 13, { dstIp: '198.51.100.2', srcPort: 2000 }));
    d.ingest(ev(T0 + 14, { dstIp: '198.51.100.3', srcPort: 3000 })); // evicts the first pair
    expect(evicted).toContain('max_pairs 10.0.0.5->203.0.113.9:443/TCP');
    expect(d.stats().storage.open_flows).toBe(2);
    expect(d.longConnections({ minDuration: 0 }).map((l) => [l.dstIp, l.openFlows]).sort()).toEqual([
      ['198.51.100.2', 1],
      ['198.51.100.3', 1],
    ]);
  });
});
