import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { ev } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

describe('long connections', () => {
  it('lists closed flows by their flow_end duration and still-open flows by age', () => {
    let now = T0 + 100;
    const d = createDetector({ now: () => now });
    d.ingest(ev(T0, { dstIp: '198.51.100.1', srcPort: 1000 }));
    d.ingest(ev(T0 + 5000, { dstIp: '198.51.100.1', srcPort: 1000, kind: 'flow_end', durationSec: 5000 }));
    d.ingest(ev(T0 + 10, { dstIp: '198.51.100.2', srcPort: 2000 })); // still open
    d.ingest(ev(T0 + 20, { dstIp: '198.51.100.3', srcPort: 3000 }));
    d.ingest(ev(T0 + 80, { dstIp: '198.51.100.3', srcPort: 3000, kind: 'flow_end' })); // short
    d.ingest(ev(T0 + 9000, { dstIp: '198.51.100.4', srcPort: 4000, kind: 'flow_end', durationSec: 4000 })); // start unseen
    expect(d.longConnections().map((l) => l.dstIp)).toEqual(['198.51.100.1', '198.51.100.4']);
    now = T0 + 10 + 7000;
    const list = d.longConnections();
    expect(list.map((l) => [l.dstIp, Math.round(l.longestFlowSeconds), l.openFlows])).toEqual([
      ['198.51.100.2', 7000, 1],
      ['198.51.100.1', 5000, 0],
      ['198.51.100.4', 4000, 0],
    ]);
    expect(list[2]?.connectionCount).toBe(1);
    expect(d.longConnections({ minDuration: 4500, limit: 1 }).map((l) => l.dstIp)).toEqual(['198.51.100.2']);
  });

  it('takes a flow_start with a duration (a Zeek conn.log row) as a whole connection, holding nothing open', () => {
    let now = T0 + 100;
    const d = createDetector({ now: () => now });
    d.ingest(ev(T0, { dstIp: '198.51.100.5', srcPort: 5000, durationSec: 4200 }));
    d.ingest(ev(T0 + 60, { dstIp: '198.51.100.6', srcPort: 6000, durationSec: 0.2 }));
    d.ingest(ev(T0 + 90, { dstIp: '198.51.100.7', srcPort: 7000 })); // a live flow start: held open
    expect(d.stats().storage.open_flows).toBe(1);
    now = T0 + 90 + 3000;
    const list = d.longConnections({ minDuration: 2000 });
    expect(list.map((l) => [l.dstIp, Math.round(l.longestFlowSeconds), l.openFlows, l.longClosedFlows])).toEqual([
      ['198.51.100.5', 4200, 0, 1],
      ['198.51.100.7', 3000, 1, 0],
    ]);
  });

  it('keeps pairs with open flows through retention cleanup, expires idle ones', () => {
    let now = T0;
    const d = createDetector({ now: () => now });
    d.ingest(ev(T0, { dstIp: '198.51.100.1', srcPort: 1000 }));
    d.ingest(ev(T0, { dstIp: '198.51.100.2', srcPort: 2000 }));
    d.ingest(ev(T0 + 1, { dstIp: '198.51.100.2', srcPort: 2000, kind: 'flow_end' }));
    now = T0 + 8000;
    expect(d.cleanup()).toBe(1);
    expect(d.pairs().map((p) => p.dstIp)).toEqual(['198.51.100.1']);
    const s = d.stats();
    expect(s.evictions.expired_pairs).toBe(1);
    expect(s.storage.records_expired).toBe(1);
  });
});
