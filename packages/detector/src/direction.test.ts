import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Detection } from './detection.js';
import { createDetector } from './detector.js';
import { isFailedAttempt } from './event.js';
import { hostAddresses } from './hostAddresses.js';
import { beacon, ev } from './internal/traffic.testutil.js';
import { toBeaconItem } from './toBeaconItem.js';

const T0 = 1_700_000_000;

function scoredAll(events: Parameters<ReturnType<typeof createDetector>['ingestBatch']>[0], config = {}): Map<string, Detection> {
  const d = createDetector({ config, now: () => T0 + 100_000 });
  const out = new Map<string, Detection>();
  d.on('scored', (x) => out.set(x.pairKey, x));
  d.ingestBatch(events);
  d.analyze();
  return out;
}

describe('pair direction', () => {
  it('comes from internal_networks: outbound, internal, inbound, external', () => {
    const events = [
      ...beacon(T0, 60, 40, 0.02, 1, { srcIp: '10.0.0.5', dstIp: '203.0.113.9' }),
      ...beacon(T0, 60, 40, 0.02, 2, { srcIp: '10.0.0.5', dstIp: '192.168.7.7' }),
      ...beacon(T0, 60, 40, 0.02, 3, { srcIp: '45.140.140.75', dstIp: '10.0.0.5', dstPort: 23 }),
      ...beacon(T0, 60, 40, 0.02, 4, { srcIp: '198.51.100.1', dstIp: '203.0.113.9' }),
    ];
    const byDst = [...scoredAll(events).values()].map((d) => [d.srcIp, d.direction, d.isBeacon, d.reason]);
    expect(byDst).toEqual(
      expect.arrayContaining([
        ['10.0.0.5', 'outbound', true, null],
        ['10.0.0.5', 'internal', true, null],
        ['45.140.140.75', 'inbound', false, 'inbound'],
        ['198.51.100.1', 'external', true, null],
      ]),
    );
  });

  it('inbound pairs are scored and listed, alert only with alertOnInbound', () => {
    const scan = beacon(T0, 6, 60, 0.05, 5, { srcIp: '45.140.140.75', dstIp: '10.0.0.9', dstPort: 23 });
    for (const alertOnInbound of [false, true]) {
      const d = createDetector({ config: { alertOnInbound }, now: () => T0 + 1000 });
      const alerts: string[] = [];
      d.on('alert', (a) => alerts.push(a.detection.pairKey));
      d.ingestBatch(scan);
      const report = d.analyze();
      expect(report.run.pairs_analyzed).toBe(1);
      expect(alerts.length).toBe(alertOnInbound ? 1 : 0);
      expect(d.connections()[0]?.direction).toBe('inbound');
      if (alertOnInbound) expect(toBeaconItem(report.beacons[0] as Detection).direction).toBe('inbound');
    }
  });

  it("Zeek's local_orig / local_resp make public addresses ours", () => {
    const events = [
      ...beacon(T0, 60, 40, 0.02, 1, { srcIp: '147.32.81.167', dstIp: '91.228.167.171', localOrig: true, localResp: false }),
      ...beacon(T0, 6, 40, 0.02, 2, { srcIp: '45.140.140.75', dstIp: '147.32.81.167', dstPort: 23, localOrig: false, localResp: true }),
      ...beacon(T0, 60, 40, 0.02, 3, { srcIp: '147.32.81.167', dstIp: '147.32.81.1', dstPort: 53, protocol: 17, localOrig: true, localResp: true }),
    ];
    const dirs = new Map([...scoredAll(events).values()].map((d) => [d.dstPort, d.direction]));
    expect(dirs.get(443)).toBe('outbound');
    expect(dirs.get(23)).toBe('inbound');
    expect(dirs.get(53)).toBe('internal');
  });

  it('updateConfig re-derives direction from new internal networks', () => {
    const d = createDetector({ now: () => T0 + 10_000 });
    d.ingestBatch(beacon(T0, 60, 20, 0.02, 1, { srcIp: '147.32.81.167', dstIp: '91.228.167.171' }));
    expect(d.connections()[0]?.direction).toBe('external');
    d.updateConfig({ internalNetworks: ['147.32.0.0/16'] });
    expect(d.connections()[0]?.direction).toBe('outbound');
  });

  it('rejects a malformed internal network with its path', () => {
    expect(() => createDetector({ config: { internalNetworks: ['10.0.0.0/8', 'not-a-net'] } })).toThrow(/internalNetworks\.1/);
  });

  it('hostAddresses lists loopback', () => {
    expect(hostAddresses()).toContain('127.0.0.1');
  });

  it('property: direction is a function of which side is internal', () => {
    const v4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map((b) => b.join('.'));
    fc.assert(
      fc.property(v4, v4, fc.boolean(), fc.boolean(), (a, b, aOurs, bOurs) => {
        fc.pre(a !== b);
        const internalNetworks = [...(aOurs ? [a] : []), ...(bOurs ? [b] : [])];
        const d = createDetector({ config: { internalNetworks }, now: () => T0 });
        d.ingest(ev(T0, { srcIp: a, dstIp: b }));
        const want = aOurs ? (bOurs ? 'internal' : 'outbound') : bOurs ? 'inbound' : 'external';
        expect(d.connections()[0]?.direction).toBe(want);
        // swapping the ends swaps outbound and inbound
        const e = createDetector({ config: { internalNetworks }, now: () => T0 });
        e.ingest(ev(T0, { srcIp: b, dstIp: a }));
        const swapped = { outbound: 'inbound', inbound: 'outbound', internal: 'internal', external: 'external' }[want];
        expect(e.connections()[0]?.direction).toBe(swapped);
      }),
      { numRuns: 100 },
    );
  });
});

describe('kind and reason', () => {
  it('a sub-second loop of failed attempts is a reconnect finding below min_beacon_interval', () => {
    // REJ every ~0.5 s: SYN answered by RST, no payload (a pcap/probe flow end, no explicit flag)
    const attempts = beacon(T0, 0.5, 300, 0.3, 7, { bytes: 0, dstIp: '41.108.179.197', dstPort: 1177 });
    const ends = attempts.map((e) => ({ ...e, kind: 'flow_end' as const, tcpFlags: 0x16, durationSec: 0.001 }));
    const d = [...scoredAll([...attempts, ...ends].sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec)).values()][0] as Detection;
    expect(d.kind).toBe('reconnect');
    expect(d.isBeacon).toBe(true);
    expect(d.reason).toBeNull();
    expect(toBeaconItem(d)).toMatchObject({ kind: 'reconnect', direction: 'outbound', is_beacon: true, reason: null });
  });

  it('a sub-second loop of successful connections is not a beacon: below min_beacon_interval', () => {
    const d = [...scoredAll(beacon(T0, 0.5, 300, 0.02, 7)).values()][0] as Detection;
    expect(d.kind).toBe('beacon');
    expect(d.isBeacon).toBe(false);
    expect(d.reason).toBe('below min_beacon_interval');
  });

  it('Zeek rows marked failed make a reconnect loop; a benign baseline makes periodic', () => {
    const zeek = beacon(T0, 10, 100, 0.2, 3, { bytes: 0, failed: true, durationSec: 0 });
    const ntp = beacon(T0, 64, 40, 0.01, 4, { dstPort: 123, protocol: 17, dstIp: '192.0.2.123' });
    const noise = beacon(T0, 60, 40, 0.9, 5, { dstIp: '198.51.100.77' });
    const all = scoredAll([...zeek, ...ntp, ...noise]);
    const by = new Map([...all.values()].map((d) => [d.dstIp, d]));
    expect(by.get('203.0.113.9')?.kind).toBe('reconnect');
    expect(by.get('192.0.2.123')?.kind).toBe('periodic');
    const low = by.get('198.51.100.77') as Detection;
    expect(low.kind).toBe('beacon');
    if (!low.isBeacon) expect(low.reason).toBe(low.result.score < 0.7 ? 'score below alert_threshold' : expect.any(String));
  });

  it('property: every non-finding has a reason, and a reason-free row is a finding', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 200, noNaN: true }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), (period, jitter, seed, inbound) => {
        const over = inbound ? { srcIp: '198.51.100.4', dstIp: '10.1.1.1' } : {};
        for (const d of scoredAll(beacon(T0, period, 30, jitter, seed, over)).values()) {
          expect(d.isBeacon).toBe(d.reason === null);
          if (d.reason === 'score below alert_threshold') expect(d.result.severity).toBe('LOW');
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('isFailedAttempt', () => {
  const base = { protocol: 6, kind: 'flow_end' as const, bytes: 0 };
  it('judges TCP flow ends by flags', () => {
    expect(isFailedAttempt({ ...base, tcpFlags: 0x02 })).toBe(true); // SYN unanswered
    expect(isFailedAttempt({ ...base, tcpFlags: 0x16 })).toBe(true); // SYN, RST+ACK (refused)
    expect(isFailedAttempt({ ...base, tcpFlags: 0x13 })).toBe(false); // handshake and FIN
    expect(isFailedAttempt({ ...base, tcpFlags: 0x16, bytes: 10 })).toBe(false); // data was sent
    expect(isFailedAttempt({ ...base, protocol: 17, tcpFlags: 0 })).toBe(false);
    expect(isFailedAttempt({ ...base, kind: 'flow_start', tcpFlags: 0x02 })).toBe(false); // not over yet
    expect(isFailedAttempt({ ...base, kind: 'flow_start', tcpFlags: 0x13, failed: true })).toBe(true);
  });
});
