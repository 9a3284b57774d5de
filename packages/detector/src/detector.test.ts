import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { Detector } from './detector.js';
import type { ConnectionEvent } from './event.js';
import { beacon, ev, poisson } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

function run(d: Detector, events: ConnectionEvent[]): void {
  const r = d.ingestBatch(events);
  expect(r.rejected).toBe(0);
  d.analyze();
}

describe('detection', () => {
  it('finds a 60 s beacon with jitter and leaves Poisson noise alone', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    run(d, [
      ...beacon(T0, 60, 100, 0.1, 1),
      ...poisson(T0, 60, 100, 2, { srcIp: '10.0.0.6', dstIp: '198.51.100.7' }),
      ...poisson(T0, 20, 300, 3, { srcIp: '10.0.0.7', dstIp: '198.51.100.8' }),
    ]);
    const found = d.beacons();
    expect(found.map((b) => b.pairKey)).toEqual(['10.0.0.5->203.0.113.9:443/TCP']);
    expect(found[0]?.result.periodSeconds).toBeGreaterThan(55);
    expect(found[0]?.result.periodSeconds).toBeLessThan(65);
    // the 60 s beacon's window is timeWindow (3600 s): ~60 events scored, not all 100
    expect(found[0]?.sampleCount).toBeLessThanOrEqual(62);
    expect(found[0]?.sampleCount).toBeGreaterThanOrEqual(58);
  });

  it('counts pairs and beacons without building lists (more beacons than a list shows)', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    const events: ConnectionEvent[] = [];
    for (let i = 0; i < 60; i++) events.push(...beacon(T0, 60, 30, 0.05, 10 + i, { dstIp: `203.0.113.${i + 1}` }));
    events.push(...poisson(T0, 60, 30, 2, { srcIp: '10.0.0.6', dstIp: '198.51.100.7' }));
    run(d, events);
    expect(d.pairCount).toBe(61);
    expect(d.beaconCount).toBe(60);
    expect(d.beacons()).toHaveLength(50); // the default list limit
    expect(d.stats().analyzer.current_known_beacons).toBe(60);
  });

  it('scores a 3,600 s beacon seen 12 times', () => {
    const d = createDetector({ now: () => T0 + 12 * 3600 });
    run(d, beacon(T0, 3600, 12, 0.02, 4));
    const [b] = d.beacons();
    expect(b?.sampleCount).toBe(12);
    expect(b?.result.periodSeconds).toBeGreaterThan(3500);
    expect(b?.isBeacon).toBe(true);
  });

  it('detects Havoc-speed (2 s) beacons with the defaults', () => {
    const d = createDetector({ now: () => T0 + 600 });
    run(d, beacon(T0, 2, 120, 0.15, 5));
    expect(d.beacons()[0]?.result.periodSeconds).toBeCloseTo(2, 0);
  });

  it('times keep-alive C2 from bursts inside one long flow', () => {
    const d = createDetector({ now: () => T0 + 9 * 200 });
    const events = [ev(T0 - 1, { srcPort: 41_000, kind: 'flow_start' }), ...beacon(T0, 9, 200, 0.05, 6, { srcPort: 41_000 }, 'burst')];
    run(d, events);
    expect(d.beacons()[0]?.result.periodSeconds).toBeCloseTo(9, 0);
    expect(d.stats().storage.open_flows).toBe(1);
  });

  it('re-scores only pairs with new events', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    d.ingestBatch(beacon(T0, 60, 30, 0.05, 7));
    expect(d.analyze().run.pairs_analyzed).toBe(1);
    expect(d.analyze().run.pairs_analyzed).toBe(0);
    d.ingest(ev(T0 + 30 * 60));
    expect(d.analyze().run.pairs_analyzed).toBe(1);
  });

  it('skips pairs below minConnections and counts them', () => {
    const d = createDetector();
    d.ingestBatch(beacon(T0, 60, 9, 0, 8));
    const { run: r } = d.analyze();
    expect(r.pairs_skipped).toBe(1);
    expect(r.pairs_analyzed).toBe(0);
  });

  it('emits beacon and analysis events with counts', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    const seen: string[] = [];
    d.on('beacon', (b) => seen.push(`beacon ${b.pairKey}`));
    d.on('analysis', (r) => seen.push(`analysis ${r.run.pairs_analyzed} ${r.run.beacons_detected}`));
    run(d, beacon(T0, 60, 40, 0.05, 9));
    expect(seen).toEqual(['beacon 10.0.0.5->203.0.113.9:443/TCP', 'analysis 1 1']);
  });
});
