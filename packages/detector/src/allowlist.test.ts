import { describe, expect, it } from 'vitest';
import { createAllowlist } from './allowlist.js';
import { createDetector } from './detector.js';
import { Protocol, type ConnectionEvent } from './event.js';

describe('createAllowlist', () => {
  it('is empty without rules and matches nothing', () => {
    const a = createAllowlist({});
    expect(a.empty).toBe(true);
    expect(a.matches('10.0.0.1', '10.0.0.2', 443)).toBe(false);
    expect(a.matchesName('example.com')).toBe(false);
  });

  it('matches source and destination addresses and CIDR prefixes, IPv4 and IPv6', () => {
    const a = createAllowlist({ sourceIps: ['10.1.0.0/16'], destinationIps: ['192.0.2.7', '2001:db8::/32'] });
    expect(a.empty).toBe(false);
    expect(a.matches('10.1.200.3', '8.8.8.8', 53)).toBe(true);
    expect(a.matches('10.2.0.1', '192.0.2.7', 443)).toBe(true);
    expect(a.matches('fd00::1', '2001:db8::5', 443)).toBe(true);
    expect(a.matches('10.2.0.1', '192.0.2.8', 443)).toBe(false);
  });

  it('matches destination ports', () => {
    const a = createAllowlist({ destinationPorts: [123, 8443] });
    expect(a.matches('10.0.0.1', '10.0.0.2', 123)).toBe(true);
    expect(a.matches('10.0.0.1', '10.0.0.2', 8443)).toBe(true);
    expect(a.matches('10.0.0.1', '10.0.0.2', 443)).toBe(false);
  });

  it('matches exact pairs, IPv6 written in any form', () => {
    const a = createAllowlist({ pairs: ['10.0.0.5:203.0.113.9:443', '[::1]:[2001:db8::5]:8080'] });
    expect(a.matches('10.0.0.5', '203.0.113.9', 443)).toBe(true);
    expect(a.matches('10.0.0.5', '203.0.113.9', 80)).toBe(false);
    expect(a.matches('10.0.0.6', '203.0.113.9', 443)).toBe(false);
    expect(a.matches('::1', '2001:db8::5', 8080)).toBe(true);
  });

  it('matches server names and wildcard suffixes', () => {
    const a = createAllowlist({ serverNames: ['*.windowsupdate.com', 'ntp.example.org'] });
    expect(a.empty).toBe(false);
    expect(a.matchesName('dl.windowsupdate.com')).toBe(true);
    expect(a.matchesName('ntp.example.org')).toBe(true);
    expect(a.matchesName('evil.example.org')).toBe(false);
  });

  it('drops what the detector drops: one rule set, the same answers', () => {
    const rules = { sourceIps: ['10.1.0.0/16'], destinationIps: ['2001:db8::/32'], destinationPorts: [123], pairs: ['10.0.0.5:203.0.113.9:443'], serverNames: [] };
    const a = createAllowlist(rules);
    const detector = createDetector({ config: { allowlist: rules } });
    const cases: Array<[string, string, number]> = [
      ['10.1.2.3', '8.8.8.8', 443],
      ['10.2.0.1', '2001:db8::7', 443],
      ['10.2.0.1', '8.8.8.8', 123],
      ['10.0.0.5', '203.0.113.9', 443],
      ['10.0.0.5', '203.0.113.9', 444],
      ['10.2.0.1', '8.8.4.4', 53],
    ];
    for (const [src, dst, port] of cases) {
      const e: ConnectionEvent = { tsSec: 1_700_000_000, tsNsec: 0, srcIp: src, dstIp: dst, srcPort: 50000, dstPort: port, protocol: Protocol.TCP, direction: 'egress', bytes: 100, packets: 1, tcpFlags: 2, kind: 'flow_start', node: 'test' };
      const before = detector.stats().allowlisted;
      detector.ingestBatch([e]);
      expect(detector.stats().allowlisted - before === 1, `${src} -> ${dst}:${port}`).toBe(a.matches(src, dst, port));
    }
  });
});
