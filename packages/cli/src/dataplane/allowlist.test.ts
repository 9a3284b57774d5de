import { defaultConfig } from '@beacon/config';
import { describe, expect, it } from 'vitest';
import { CollectorAllowlist, parsePair } from './allowlist.js';

const wl = (over: Partial<ReturnType<typeof defaultConfig>['whitelist']>): CollectorAllowlist =>
  new CollectorAllowlist({ ...defaultConfig().whitelist, ...over });

describe('CollectorAllowlist', () => {
  it('is empty without rules and matches nothing', () => {
    const a = wl({});
    expect(a.empty).toBe(true);
    expect(a.matches('10.0.0.1', '10.0.0.2', 443)).toBe(false);
  });

  it('matches source and destination addresses and CIDR prefixes, IPv4 and IPv6', () => {
    const a = wl({ source_ips: ['10.1.0.0/16'], destination_ips: ['192.0.2.7', '2001:db8::/32'] });
    expect(a.matches('10.1.200.3', '8.8.8.8', 53)).toBe(true);
    expect(a.matches('10.2.0.1', '192.0.2.7', 443)).toBe(true);
    expect(a.matches('fd00::1', '2001:db8:0:0::5', 443)).toBe(true);
    expect(a.matches('10.2.0.1', '192.0.2.8', 443)).toBe(false);
  });

  it('matches ports from both spellings', () => {
    const a = wl({ ports: [123], destination_ports: [8443] });
    expect(a.matches('10.0.0.1', '10.0.0.2', 123)).toBe(true);
    expect(a.matches('10.0.0.1', '10.0.0.2', 8443)).toBe(true);
    expect(a.matches('10.0.0.1', '10.0.0.2', 443)).toBe(false);
  });

  it('matches exact pairs, IPv6 written in any form', () => {
    const a = wl({ pairs: ['10.0.0.5:203.0.113.9:443', '[::1]:[2001:db8::5]:8080'] });
    expect(a.matches('10.0.0.5', '203.0.113.9', 443)).toBe(true);
    expect(a.matches('10.0.0.5', '203.0.113.9', 80)).toBe(false);
    expect(a.matches('10.0.0.6', '203.0.113.9', 443)).toBe(false);
    expect(a.matches('0:0:0:0:0:0:0:1', '2001:db8:0::5', 8080)).toBe(true);
  });

  it('parses pairs and rejects malformed ones', () => {
    expect(parsePair('10.0.0.5:203.0.113.9:443')).toEqual({ src: '10.0.0.5', dst: '203.0.113.9', port: 443 });
    expect(parsePair('[fe80::1]:[::2]:22')).toEqual({ src: 'fe80::1', dst: '::2', port: 22 });
    expect(parsePair('10.0.0.5:203.0.113.9')).toBeNull();
    expect(parsePair('a:b:1')).toBeNull();
    expect(parsePair('10.0.0.5:10.0.0.6:70000')).toBeNull();
  });
});
