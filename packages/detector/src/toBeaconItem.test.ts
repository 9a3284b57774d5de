import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { beacon } from './internal/traffic.testutil.js';
import { toBeaconItem } from './toBeaconItem.js';
import type { Detection } from './detection.js';

const T0 = 1_700_000_000;

describe('toBeaconItem and state', () => {
  it('writes the wire shape with UTC Z timestamps', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    d.ingestBatch(beacon(T0, 60, 40, 0.05, 1));
    const [det] = d.analyze().beacons;
    const item = toBeaconItem(det!);
    expect(item.pair_key).toBe('10.0.0.5->203.0.113.9:443/TCP');
    expect(item.protocol).toBe('TCP');
    expect(item.analysis_time).toBe('2023-11-15T00:13:20.000Z');
    expect(item.first_seen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(item.connection_count).toBe(40);
    expect(['critical', 'high', 'medium']).toContain(item.confidence);
    expect(JSON.parse(JSON.stringify(item))).toEqual(item);
  });

  it('carries the evidence: how sample size limited the score, through the beacon records and a state round trip', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    const scored = new Map<string, Detection>();
    d.on('scored', (x) => scored.set(x.dstIp, x));
    // 10 tight callbacks (9 intervals): CRITICAL on the signals, capped by the evidence
    d.ingestBatch([...beacon(T0, 60, 10, 0.01, 3), ...beacon(T0, 60, 40, 0.05, 4, { dstIp: '203.0.113.10' })]);
    d.analyze();
    const few = scored.get('203.0.113.9')!;
    const ev = few.result.explanation.evidence!;
    expect(ev).toMatchObject({ intervals: 9, limited: true, uncappedSeverity: 'CRITICAL' });
    expect(few.result.score).toBeCloseTo(ev.cap, 12);
    const item = toBeaconItem(few);
    expect(item.explanation.evidence).toEqual({
      intervals: 9,
      p_value: ev.pValue,
      cap: ev.cap,
      limited: true,
      uncapped_confidence: 'critical',
      outside_bounds: 0,
      p_bounded: ev.pBounded,
      bounded_sleep: ev.boundedSleep,
      bounded_sleep_drove: false,
      note: expect.stringMatching(/^9 intervals rule out a memoryless process only at p < 1e-2: limited by sample size, score capped at 0\.7\d \(CRITICAL without the cap\)$/),
    });
    const many = toBeaconItem(scored.get('203.0.113.10')!).explanation.evidence!;
    expect(many.limited).toBe(false);
    expect(many.note).toMatch(/^39 intervals rule out a memoryless process at p < 1e-\d+: enough evidence, no cap$/);
    // the known beacons are held as numeric records: the evidence comes back from them, and the summary says it
    const held = d.beacons().find((b) => b.dstIp === '203.0.113.9')!;
    expect(held.result.explanation.evidence).toEqual(ev);
    expect(held.result.explanation.summary).toContain('limited by sample size');
    expect(toBeaconItem(held).explanation.evidence).toEqual(item.explanation.evidence);
    const e = createDetector({ now: () => T0 + 7260 });
    e.importState(JSON.parse(JSON.stringify(d.exportState())));
    expect(e.beacons().find((b) => b.dstIp === '203.0.113.9')!.result.explanation.evidence).toEqual(ev);
  });

  it('exports and imports pairs, beacons, cooldowns and counters', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    d.ingestBatch(beacon(T0, 60, 40, 0.05, 2));
    d.analyze();
    const snap = JSON.parse(JSON.stringify(d.exportState()));
    const e = createDetector({ now: () => T0 + 7260 });
    e.importState(snap);
    expect(e.pairs()).toEqual(d.pairs());
    expect(e.beacons().map((b) => b.pairKey)).toEqual(d.beacons().map((b) => b.pairKey));
    expect(e.stats().analyzer.active_cooldowns).toBe(1);
    expect(e.stats().storage.records_added).toBe(40);
    expect(() => e.importState({ ...snap, pairs: [{ ...snap.pairs[0], dstPort: -1 }] })).toThrow(/pairs\.0\.dstPort/);
  });
});
