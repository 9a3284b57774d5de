import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { ev } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

describe('Detector.pair', () => {
  it("returns one pair's summary, its newest events oldest first, and its beacon record", () => {
    const d = createDetector({ now: () => T0 + 40 * 60, config: { minConnections: 10 } });
    for (let i = 0; i < 30; i++) d.ingest(ev(T0 + i * 60 + 0.25, { srcPort: 40_000 + i, bytes: 300 + i }));
    const key = '10.0.0.5->203.0.113.9:443/TCP';
    expect(d.pair(key)?.detection).toBeNull();
    d.analyze();
    const p = d.pair(key, { limit: 3 });
    expect(p).toMatchObject({ pairKey: key, srcIp: '10.0.0.5', dstPort: 443, connectionCount: 30, historySize: 30 });
    expect(p?.times).toEqual([27, 28, 29].map((i) => T0 + i * 60 + 0.25));
    expect(p?.sizes).toEqual([327, 328, 329]);
    expect(p?.detection?.isBeacon).toBe(true);
    expect(d.pair(key)?.times).toHaveLength(30);
    expect(d.pair('10.0.0.9->203.0.113.9:443/TCP')).toBeUndefined();
  });
});
