import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { Detection } from './detection.js';
import { beacon, ev } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;
const brief = (d: Detection): [string, number, number, boolean] => [d.pairKey, d.result.score, d.sampleCount, d.isBeacon];

describe('analysis report', () => {
  it('lists the same beacons, highest score first, with or without listeners', () => {
    const traffic = [
      ...beacon(T0, 60, 60, 0.01, 1),
      ...beacon(T0, 30, 100, 0.2, 2, { dstIp: '198.51.100.1' }),
      ...beacon(T0, 64, 60, 0.01, 3, { dstPort: 123, protocol: 17 }),
    ];
    const quiet = createDetector({ now: () => T0 + 7200 });
    quiet.ingestBatch(traffic);
    const loud = createDetector({ now: () => T0 + 7200 });
    const emitted: Detection[] = [];
    loud.on('beacon', (d) => emitted.push(d));
    loud.ingestBatch(traffic);
    const a = quiet.analyze().beacons;
    const b = loud.analyze().beacons;
    expect(a.length).toBe(3);
    expect(a.map(brief)).toEqual(b.map(brief));
    expect(a.map((d) => d.result.score)).toEqual([...a.map((d) => d.result.score)].sort((x, y) => y - x));
    expect(a.map((d) => d.benignLabel).sort()).toEqual(['NTP', null, null]);
    // the emitted objects are the report's
    expect(new Set(b)).toEqual(new Set(emitted));
    expect(JSON.parse(JSON.stringify(quiet.analyze())).beacons).toEqual([]);
  });

  it('keeps a run beacons when read after later runs changed or dropped them', () => {
    let now = T0 + 3600;
    const d = createDetector({ now: () => now, config: { maxPairs: 2 } });
    d.ingestBatch(beacon(T0, 60, 60, 0.01, 1));
    const first = d.analyze();
    // a later run re-scores the pair on a ragged window, then the pair is evicted
    now += 600;
    d.ingestBatch(beacon(T0 + 3600, 60, 60, 0.6, 2));
    d.analyze();
    d.ingest(ev(T0 + 9000, { dstIp: '198.51.100.2' }));
    d.ingest(ev(T0 + 9001, { dstIp: '198.51.100.3' }));
    expect(d.pairs().map((p) => p.dstIp)).not.toContain('203.0.113.9');
    const [b] = first.beacons;
    expect(b?.pairKey).toBe('10.0.0.5->203.0.113.9:443/TCP');
    expect(b?.analyzedAt).toBe(T0 + 3600);
    expect(b?.sampleCount).toBe(60);
    expect(b?.result.score).toBeGreaterThan(0.9);
    expect(JSON.parse(JSON.stringify(first)).beacons[0].pairKey).toBe(b?.pairKey);
  });

  it('allows replacing the list', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    d.ingestBatch(beacon(T0, 60, 60, 0.01, 1));
    const r = d.analyze();
    r.beacons = [];
    expect(r.beacons).toEqual([]);
    expect({ ...r }.beacons).toEqual([]);
  });
});
