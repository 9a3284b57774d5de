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
