import { describe, expect, it } from 'vitest';
import { defaultConfig } from '@beacon/config';
import type { ConnectionEvent } from '@beacon/detector';
import { createHuntSession } from './huntSession.js';

const ev = (t: number, dst: string): ConnectionEvent => ({
  tsSec: t, tsNsec: 0, srcIp: '10.0.0.5', dstIp: dst, srcPort: 40000, dstPort: 443, protocol: 6,
  direction: 'egress', bytes: 100, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 'test',
});

describe('createHuntSession', () => {
  it('analyses every analysis_interval of data time, even inside one big batch', () => {
    // 40 beats every 300 s, then 3 stragglers hours later, all in one batch: the session must
    // cut the batch wherever data time crosses a 60 s tick, as the live loop would, rather
    // than analysing once at the end.
    const t0 = 1_700_000_000;
    const batch = [...Array.from({ length: 40 }, (_, i) => ev(t0 + i * 300, '203.0.113.9')), ...[0, 1, 2].map((i) => ev(t0 + 40_000 + i * 700, '203.0.113.9'))];
    const session = createHuntSession(defaultConfig());
    session.feed(batch);
    const scored = session.finish();
    expect(session.counts.events).toBe(43);
    expect(scored).toHaveLength(1);
    expect(scored[0]?.isBeacon).toBe(true);
    // Ticks without events are skipped: one run per beat that crosses a tick, not one at the end.
    expect(session.counts.analyses).toBeGreaterThan(38);
    // The latest window reaches back to min_connections + 2 events: 9 beats and the stragglers.
    expect(scored[0]?.result.periodSeconds).toBeGreaterThan(270);
    expect(scored[0]?.result.periodSeconds).toBeLessThan(360);
  });
});
