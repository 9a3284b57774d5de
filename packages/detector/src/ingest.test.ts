import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { beacon, ev } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

describe('ingest', () => {
  it('places out-of-order events by time within the tolerance and rejects later ones', () => {
    const d = createDetector({ config: { outOfOrderTolerance: 120 } });
    const ts = [0, 60, 180, 120, 240, 150];
    for (const t of ts) expect(d.ingest(ev(T0 + t))).toBe('accepted');
    expect(d.ingest(ev(T0 + 50))).toBe('too_late'); // 190 s behind the newest
    const state = d.exportState();
    expect(state.pairs[0]?.times.map((t) => t - T0)).toEqual([0, 60, 120, 150, 180, 240]);
    expect(d.stats().rejections.too_late).toBe(1);
  });

  it('counts invalid events by reason, naming index and field', () => {
    const d = createDetector();
    const r = d.ingestBatch([ev(T0), { ...ev(T0 + 1), dstPort: 70_000 }, null, { ...ev(T0 + 2), srcIp: 'not-an-ip' }, { ...ev(T0 + 3), kind: 'nope' }, { ...ev(T0 + 4), tsNsec: 1.5 }]);
    expect(r.accepted).toBe(1);
    expect(r.rejected).toBe(5);
    expect(r.reasons).toEqual({ invalid_port: 1, invalid_event: 1, invalid_address: 1, invalid_kind: 1, invalid_time: 1 });
    expect(r.issues[0]).toMatchObject({ index: 1, path: 'dstPort' });
    expect(r.issues[0]?.message).toContain('70000');
    expect(r.issues[2]).toMatchObject({ index: 3, path: 'srcIp', reason: 'invalid_address' });
    expect(d.stats().rejections.invalid_port).toBe(1);
  });

  it('caps pairs with least-recently-seen eviction, counted and emitted', () => {
    const d = createDetector({ config: { maxPairs: 3 } });
    const evicted: string[] = [];
    d.on('evicted', (e) => evicted.push(`${e.reason} ${e.pairKey}`));
    for (const host of [1, 2, 3]) d.ingest(ev(T0, { dstIp: `198.51.100.${host}` }));
    d.ingest(ev(T0 + 1, { dstIp: '198.51.100.1' })); // 1 is now the most recent; 2 the least
    d.ingest(ev(T0 + 2, { dstIp: '198.51.100.4' }));
    expect(evicted).toEqual(['max_pairs 10.0.0.5->198.51.100.2:443/TCP']);
    expect(d.pairs().map((p) => p.dstIp).sort()).toEqual(['198.51.100.1', '198.51.100.3', '198.51.100.4']);
    expect(d.stats().evictions.pairs).toBe(1);
  });

  it('caps history per pair, keeping the newest and counting overwrites', () => {
    const d = createDetector({ config: { maxHistory: 16, minConnections: 10 } });
    d.ingestBatch(beacon(T0, 60, 40, 0, 1));
    const [p] = d.pairs();
    expect(p?.historySize).toBe(16);
    expect(p?.connectionCount).toBe(40);
    expect(d.stats().evictions.history).toBe(24);
    expect(d.exportState().pairs[0]?.times[0]).toBe(T0 + 24 * 60);
  });

  it('drops allowlisted traffic before scoring and counts it (CIDR v4/v6, ports, pairs)', () => {
    const d = createDetector({
      config: { allowlist: { sourceIps: ['10.9.0.0/16'], destinationIps: ['2001:db8::/32', '192.0.2.7'], destinationPorts: [53], pairs: ['10.0.0.5:203.0.113.9:8443', '[fd00::1]:[2001:db9::5]:443'] } },
    });
    const r = d.ingestBatch([
      ev(T0, { srcIp: '10.9.3.4' }),
      ev(T0, { dstIp: '2001:db8:0:1::9' }),
      ev(T0, { dstIp: '192.0.2.7' }),
      ev(T0, { dstPort: 53, protocol: 17 }),
      ev(T0, { dstPort: 8443 }),
      ev(T0, { srcIp: 'fd00::1', dstIp: '2001:db9::5' }),
      ev(T0 + 1, { dstPort: 53, protocol: 17 }),
      ev(T0, { dstIp: '2001:db9::5' }), // not allowlisted: kept
    ]);
    expect(r.allowlisted).toBe(7);
    expect(r.accepted).toBe(1);
    expect(d.pairs().map((p) => p.dstIp)).toEqual(['2001:db9::5']);
    const s = d.stats();
    expect(s.allowlisted).toBe(7);
    expect(s.analyzer.whitelist_rules).toEqual({ source_ips: 1, destination_ips: 2, ports: 1, pairs: 2 });
  });

  it('purges pairs that a config update allowlists', () => {
    const d = createDetector();
    d.ingestBatch(beacon(T0, 60, 12, 0, 1));
    d.updateConfig({ allowlist: { destinationIps: ['203.0.113.0/24'] } });
    expect(d.pairs()).toEqual([]);
    expect(d.stats().allowlisted).toBe(12);
    expect(d.ingest(ev(T0 + 900))).toBe('allowlisted');
  });

  it('reads a NaN duration on the trusted path as no duration (readers that reuse event objects write it)', () => {
    const run = (durationSec: number | undefined): unknown => {
      const d = createDetector();
      const events = beacon(T0, 60, 30, 0, 1, { protocol: 6, tcpFlags: 0x02, bytes: 0 }).map((e) => (durationSec === undefined ? e : { ...e, durationSec }));
      d.ingestBatch(events, { trusted: true });
      const s = d.stats();
      return { open: s.storage, pairs: d.pairs().map((p) => [p.connectionCount, p.firstSeen, p.lastSeen]), long: d.longConnections().length };
    };
    expect(run(Number.NaN)).toEqual(run(undefined));
    expect(run(Number.NaN)).not.toEqual(run(2));
  });

  it('counts a connection once when the open-flow cap forgot its start before its end came', () => {
    const run = (maxOpenFlows: number): { count: number; evicted: number } => {
      const d = createDetector({ config: { maxOpenFlows } });
      const starts = Array.from({ length: 50 }, (_, i) => ev(T0 + i, { srcPort: 40_000 + i, kind: 'flow_start' }));
      const ends = Array.from({ length: 50 }, (_, i) => ev(T0 + 60 + i, { srcPort: 40_000 + i, kind: 'flow_end', durationSec: 60 }));
      d.ingestBatch([...starts, ...ends]);
      // and a flow whose start was never seen still counts
      d.ingest(ev(T0 + 200, { srcPort: 50_000, kind: 'flow_end', durationSec: 5 }));
      return { count: d.pairs()[0]?.connectionCount ?? 0, evicted: d.stats().evictions.open_flows };
    };
    expect(run(1_000)).toEqual({ count: 51, evicted: 0 });
    const capped = run(10);
    expect(capped.evicted).toBeGreaterThan(30);
    expect(capped.count).toBe(51);
  });
});

