import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { beacon } from './internal/traffic.testutil.js';
import { toBeaconItem } from './toBeaconItem.js';

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
