import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { beacon, ev } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

describe('alert gating (injected clock)', () => {
  it('alerts a new beacon once, then holds through the cooldown and without a rise', () => {
    let now = T0 + 3600;
    const d = createDetector({ now: () => now });
    const alerts: string[] = [];
    d.on('alert', (a) => alerts.push(a.reason));
    d.ingestBatch(beacon(T0, 60, 60, 0.02, 1));
    expect(d.analyze().run.alerts_generated).toBe(1);
    now += 60;
    d.ingest(ev(T0 + 3600));
    const second = d.analyze().run;
    expect(second.alerts_generated).toBe(0);
    expect(second.pairs_suppressed).toBe(1);
    now += 600; // cooldown over, but the score did not rise
    d.ingest(ev(T0 + 3660));
    expect(d.analyze().run.alerts_generated).toBe(0);
    expect(alerts).toEqual(['new']);
    expect(d.stats().analyzer.total_suppressed).toBe(2);
  });

  it('re-alerts after the cooldown when the score rises by more than 0.1', () => {
    let now = T0;
    const d = createDetector({ now: () => now, config: { alertThreshold: 0.5 } });
    const reasons: string[] = [];
    d.on('alert', (a) => reasons.push(a.reason));
    // a ragged beacon first (score between 0.5 and ~0.8), then a clean one replaces the window
    d.ingestBatch(beacon(T0, 60, 40, 0.45, 2));
    const first = d.analyze();
    const s1 = first.beacons[0]?.result.score ?? 0;
    expect(s1).toBeGreaterThanOrEqual(0.5);
    expect(s1).toBeLessThan(0.85);
    now += 100; // within cooldown: even a rise is held back
    d.ingestBatch(beacon(T0 + 40 * 60, 60, 70, 0, 3));
    const held = d.analyze();
    expect(held.beacons[0]?.result.score ?? 0).toBeGreaterThan(s1 + 0.1);
    expect(held.run.alerts_generated).toBe(0);
    now += 300;
    d.ingest(ev(T0 + 110 * 60));
    expect(d.analyze().run.alerts_generated).toBe(1);
    expect(reasons[0]).toBe('new');
    expect(['score_rise', 'severity_up']).toContain(reasons[1]);
  });

  it('NTP is scored but marked benign and never alerted', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    let alerts = 0;
    d.on('alert', () => alerts++);
    d.ingestBatch(beacon(T0, 64, 60, 0.01, 4, { dstPort: 123, protocol: 17 }));
    const { run, beacons } = d.analyze();
    expect(run.pairs_analyzed).toBe(1);
    expect(beacons[0]?.benignLabel).toBe('NTP');
    expect(beacons[0]?.result.score).toBeGreaterThan(0.7);
    expect(run.beacons_detected).toBe(0);
    expect(run.pairs_suppressed).toBe(1);
    expect(alerts).toBe(0);
    expect(d.beacons({ includeBenign: false })).toEqual([]);
  });
});
