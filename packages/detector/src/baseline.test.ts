import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { Detector } from './detector.js';
import { multicastLabel } from './internal/baseline.js';
import { beacon } from './internal/traffic.testutil.js';

const T0 = 1_700_000_000;

function alertsOf(d: Detector): string[] {
  const alerts: string[] = [];
  d.on('alert', (a) => alerts.push(a.detection.pairKey));
  return alerts;
}

describe('multicast and broadcast baseline', () => {
  it('recognises IPv4 224.0.0.0/4, 255.255.255.255 and IPv6 ff00::/8', () => {
    expect(multicastLabel('224.0.0.251')).toBe('multicast');
    expect(multicastLabel('239.255.255.250')).toBe('multicast');
    expect(multicastLabel('255.255.255.255')).toBe('broadcast');
    expect(multicastLabel('ff02::16')).toBe('multicast');
    expect(multicastLabel('FF02::1:FF00:1')).toBe('multicast');
    expect(multicastLabel('::ffff:224.0.0.251')).toBe('multicast');
    for (const ip of ['223.255.255.255', '240.0.0.1', '22.4.0.1', '2240.0.0.1', '10.0.0.255', 'ff::1', 'fe80::1', '2001:db8::ff', '::ffff:10.0.0.1'])
      expect(multicastLabel(ip), ip).toBeNull();
  });

  it('scores and lists multicast beacons as benign, never alerts or counts them', () => {
    const d = createDetector({ now: () => T0 + 7200 });
    const alerts = alertsOf(d);
    d.ingestBatch([
      ...beacon(T0, 125, 40, 0.01, 1, { srcIp: 'fe80::1', dstIp: 'ff02::16', dstPort: 0, protocol: 58 }),
      ...beacon(T0, 60, 60, 0.01, 2, { dstIp: '239.255.255.250', dstPort: 1900, protocol: 17 }),
      ...beacon(T0, 60, 60, 0.01, 3, { dstIp: '255.255.255.255', dstPort: 67, protocol: 17 }),
      ...beacon(T0, 60, 60, 0.01, 4, { dstIp: '203.0.113.50' }),
    ]);
    const { run, beacons } = d.analyze();
    expect(run.pairs_analyzed).toBe(4);
    expect(beacons.map((b) => [b.dstIp, b.benignLabel]).sort()).toEqual([
      ['203.0.113.50', null],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['ff02::16', 'multicast'],
    ]);
    expect(run.beacons_detected).toBe(1);
    expect(alerts).toEqual(['10.0.0.5->203.0.113.50:443/TCP']);
    expect(d.stats().analyzer.total_beacons_detected).toBe(1);
    expect(d.beacons({ includeBenign: false }).map((b) => b.dstIp)).toEqual(['203.0.113.50']);
  });

  it('is a switch: benignBaseline.multicast false alerts on them like any pair', () => {
    const d = createDetector({ now: () => T0 + 7200, config: { benignBaseline: { multicast: false } } });
    const alerts = alertsOf(d);
    d.ingestBatch(beacon(T0, 60, 60, 0.01, 2, { dstIp: '239.255.255.250', dstPort: 1900, protocol: 17 }));
    expect(d.analyze().beacons[0]?.benignLabel).toBeNull();
    expect(alerts).toHaveLength(1);
    d.updateConfig({ benignBaseline: { multicast: true } });
    expect(d.beacons()[0]?.benignLabel).toBe('multicast');
    expect(d.config.benignBaseline.patterns).toEqual([{ dstPort: 123, protocol: 17, label: 'NTP' }]);
  });
});

describe('benign patterns by destination address', () => {
  it('matches when every given field matches (addresses and CIDR, IPv4 and IPv6)', () => {
    const d = createDetector({
      now: () => T0 + 7200,
      config: { benignBaseline: { patterns: [{ dstIps: ['198.51.100.0/24', '2001:db8:aa::/48'], label: 'AV updates' }, { dstIps: ['192.0.2.7'], dstPort: 443, protocol: 'tcp', label: 'telemetry' }] } },
    });
    const alerts = alertsOf(d);
    d.ingestBatch([
      ...beacon(T0, 60, 60, 0.01, 1, { dstIp: '198.51.100.20', dstPort: 8080 }),
      ...beacon(T0, 60, 60, 0.01, 2, { srcIp: '2001:db8::5', dstIp: '2001:db8:aa:1::9' }),
      ...beacon(T0, 60, 60, 0.01, 3, { dstIp: '192.0.2.7', dstPort: 443 }),
      // same address, other port: the telemetry pattern needs both, so this one alerts
      ...beacon(T0, 60, 60, 0.01, 4, { dstIp: '192.0.2.7', dstPort: 8443 }),
      // NTP by port is gone: patterns were given, so they replace the default
      ...beacon(T0, 64, 60, 0.01, 5, { dstIp: '192.0.2.99', dstPort: 123, protocol: 17 }),
    ]);
    const labels = Object.fromEntries(d.analyze().beacons.map((b) => [`${b.dstIp}:${b.dstPort}`, b.benignLabel]));
    expect(labels).toEqual({
      '198.51.100.20:8080': 'AV updates',
      '2001:db8:aa:1::9:443': 'AV updates',
      '192.0.2.7:443': 'telemetry',
      '192.0.2.7:8443': null,
      '192.0.2.99:123': null,
    });
    expect(alerts.sort()).toEqual(['10.0.0.5->192.0.2.7:8443/TCP', '10.0.0.5->192.0.2.99:123/UDP']);
  });

  it('validates patterns, naming the path', () => {
    const bad = (patterns: unknown): string => {
      try {
        createDetector({ config: { benignBaseline: { patterns } } as never });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(bad([{ label: 'x' }])).toContain('benignBaseline.patterns.0.dstPort: a pattern needs dstPort, dstIps or serverNames');
    expect(bad([{ protocol: 'udp', label: 'x' }])).toContain('benignBaseline.patterns.0.dstPort');
    expect(bad([{ dstPort: 1, label: 'ok' }, { dstIps: ['10.0.0.0/8', '300.1.1.1'], label: 'x' }])).toContain('benignBaseline.patterns.1.dstIps.1');
    expect(bad([{ dstIps: [], label: 'x' }])).toContain('benignBaseline.patterns.0.dstIps');
    expect(bad([{ dstIps: ['10.0.0.1'], label: 'x' }])).toBe('no error');
    expect(bad([{ dstPort: 53, label: 'dns' }])).toBe('no error');
  });
});
