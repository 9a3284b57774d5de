import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { ConnectionEvent } from './event.js';
import { ev } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

/** An antivirus-style beacon at ~301.6 s whose last hour lost beats (~603 s gaps). */
function missedBeats(): ConnectionEvent[] {
  const gaps: number[] = [];
  for (let i = 0; i < 30; i++) gaps.push(301.6 + (i % 3) * 0.2);
  gaps.push(603.1, 301.7, 603.2, 603.1, 301.6, 603.3, 603.2);
  const out = [ev(T0)];
  let t = T0;
  for (const g of gaps) out.push(ev((t += g), { srcPort: 40_000 + out.length }));
  return out;
}

describe('effective window', () => {
  it('reaches back to minConnections + 2 events when missed beats thin out the time window', () => {
    const events = missedBeats();
    const newest = events[events.length - 1]?.tsSec ?? 0;
    // the time window alone (max(3600, 12 x 301.6 s)) holds fewer than minConnections events
    expect(events.filter((e) => e.tsSec >= newest - 12 * 301.7).length).toBeLessThan(10);
    const d = createDetector({ now: () => newest + 60 });
    d.ingestBatch(events);
    const seen: number[] = [];
    d.on('scored', (det) => seen.push(det.sampleCount));
    const { run } = d.analyze();
    expect(run.pairs_skipped).toBe(0);
    expect(run.pairs_analyzed).toBe(1);
    expect(seen).toEqual([12]);
  });

  it('keeps the time window when it already holds more events', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    const events: ConnectionEvent[] = [];
    for (let i = 0; i < 100; i++) events.push(ev(T0 + i * 60, { srcPort: 40_000 + i }));
    d.ingestBatch(events);
    const seen: number[] = [];
    d.on('scored', (det) => seen.push(det.sampleCount));
    d.analyze();
    expect(seen).toEqual([61]);
  });
});
