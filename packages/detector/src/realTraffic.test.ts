import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from './event.js';
import { calderaEvents, detectAll, FAILED_STYLES, reconnectEvents, type Carriage } from './internal/realTraffic.testutil.js';

const dst = (i: number): string => `198.18.${(i >> 8) & 255}.${i & 255}`;

describe('field cases through the detector', () => {
  it.each([2, 5, 8])('Caldera-style sleep uniform in [a, %i a], 40-100 callbacks: recall >= 0.9 on separate connections and inside one keep-alive connection', (k) => {
    for (const carriage of ['separate', 'keep-alive'] as Carriage[]) {
      const events: ConnectionEvent[] = [];
      const pairs = 30;
      for (let i = 0; i < pairs; i++) events.push(...calderaEvents(k, carriage, 40 + ((i * 7) % 61), 1000 * k + i, dst(i)));
      if (carriage === 'keep-alive') expect(events.filter((e) => e.kind === 'burst').length).toBe(events.length - pairs);
      const found = detectAll(events);
      const hits = [...found.values()].filter((d) => d.isBeacon && d.kind === 'beacon').length;
      expect({ k, carriage, recall: hits / pairs }).toEqual({ k, carriage, recall: expect.toSatisfy((x: number) => x >= 0.9) });
    }
  });

  it('every reconnect loop of 100+ failed attempts is a reconnect finding, sub-second periods included', () => {
    const cases: Array<[number, number, number]> = [
      [0.1, 0, 100],
      [0.1, 0.5, 150],
      [0.8, 0.5, 100], // Remcos: 0.4-1.2 s
      [5, 0.2, 100],
    ];
    let i = 0;
    const events: ConnectionEvent[] = [];
    const want: string[] = [];
    for (const [period, jitter, attempts] of cases) {
      for (const style of FAILED_STYLES) {
        events.push(...reconnectEvents(period, jitter, attempts, style, 77 + i, dst(i)));
        want.push(dst(i++));
      }
    }
    const found = detectAll(events);
    for (const ip of want) expect({ ip, kind: found.get(ip)?.kind, isBeacon: found.get(ip)?.isBeacon, reason: found.get(ip)?.reason }).toEqual({ ip, kind: 'reconnect', isBeacon: true, reason: null });
  });

  it('the same loop with the connections succeeding is no reconnect, and below min_beacon_interval no finding', () => {
    const events = reconnectEvents(0.5, 0.1, 200, 'zeek-REJ', 5, dst(1)).map((e) => ({ ...e, connState: 'SF', bytes: 120, tcpFlags: 0x1b }));
    const d = detectAll(events).get(dst(1));
    expect(d?.kind).toBe('beacon');
    expect(d?.isBeacon).toBe(false);
    expect(d?.reason).toBe('below min_beacon_interval');
  });
});

describe('a reconnect loop across a restart', () => {
  it('keeps its failed-attempt count through exportState/importState and the memory store, so it stays a reconnect finding', async () => {
    const { createDetector } = await import('./detector.js');
    const { MemoryStore } = await import('./memoryStore.js');
    // Zeek REJ rows every ~0.8 s: 300 before the restart, 20 after
    const all = reconnectEvents(0.8, 0.5, 320, 'zeek-REJ', 9, '41.108.179.197');
    const before = all.slice(0, 300);
    const after = all.slice(300);
    const clock = { now: after[after.length - 1]!.tsSec + 1 };
    const a = createDetector({ now: () => clock.now });
    a.ingestBatch(before);
    a.analyze();
    expect(a.beacons()[0]).toMatchObject({ kind: 'reconnect', isBeacon: true });
    const snap = JSON.parse(JSON.stringify(a.exportState())) as ReturnType<typeof a.exportState>;
    expect(snap.pairs[0]?.failed).toBe(300);
    const store = new MemoryStore();
    await store.save(a.exportDelta());
    for (const state of [snap, await store.load()]) {
      const b = createDetector({ now: () => clock.now });
      b.importState(state!);
      expect(b.exportState().pairs[0]?.failed).toBe(300);
      b.ingestBatch(after);
      const { beacons } = b.analyze();
      expect(beacons.map((d) => [d.dstIp, d.kind, d.isBeacon])).toEqual([['41.108.179.197', 'reconnect', true]]);
      expect(b.exportState().pairs[0]?.failed).toBe(320);
    }
    // a snapshot from before the field (no `failed`) still loads, counting none
    const old = JSON.parse(JSON.stringify(snap)) as typeof snap;
    delete old.pairs[0]!.failed;
    const c = createDetector({ now: () => clock.now });
    c.importState(old);
    expect(c.exportState().pairs[0]?.failed).toBe(0);
    // and a bad one is refused, naming the field
    const bad = JSON.parse(JSON.stringify(snap)) as { pairs: Array<{ failed: unknown }> };
    bad.pairs[0]!.failed = -1;
    expect(() => createDetector().importState(bad as unknown as typeof snap)).toThrow(/pairs\.0\.failed/);
  });
});
