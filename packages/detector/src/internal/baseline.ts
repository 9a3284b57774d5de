import type { BenignBaselineConfig } from '../config.js';
import { parseIp } from './ip.js';
import { IpSet } from './ipSet.js';
import { NameSet } from './serverNames.js';

/** Label of multicast destinations in the built-in baseline. */
export const MULTICAST_LABEL = 'multicast';
/** Label of the limited broadcast address in the built-in baseline. */
export const BROADCAST_LABEL = 'broadcast';

/** Value of the leading decimal digits of `s` (up to the first non-digit), or -1 when none. */
function leadingNumber(s: string): number {
  let n = 0;
  let i = 0;
  for (; i < s.length && i < 4; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  return i === 0 ? -1 : n;
}

/**
 * `multicast` for IPv4 224.0.0.0/4 and IPv6 ff00::/8 (IPv4-mapped too), `broadcast` for
 * 255.255.255.255, otherwise null. String checks only: runs once per new pair.
 */
export function multicastLabel(ip: string): string | null {
  if (!ip.includes(':')) {
    if (ip === '255.255.255.255') return BROADCAST_LABEL;
    const first = leadingNumber(ip);
    return first >= 224 && first <= 239 && ip.charCodeAt(3) === 46 ? MULTICAST_LABEL : null;
  }
  const c0 = ip.charCodeAt(0) | 0x20;
  const c1 = ip.charCodeAt(1) | 0x20;
  // the first group spelled out in four hex digits starting "ff" is a first byte of 0xff
  if (c0 === 0x66 && c1 === 0x66 && ip.indexOf(':') === 4) return parseIp(ip)?.[0] === 0xff ? MULTICAST_LABEL : null;
  if (ip.includes('.')) {
    // IPv4-mapped (::ffff:a.b.c.d)
    const b = parseIp(ip);
    if (b === null || b[10] !== 0xff || b[11] !== 0xff || b.subarray(0, 10).some((x) => x !== 0)) return null;
    return multicastLabel(`${b[12]}.${b[13]}.${b[14]}.${b[15]}`);
  }
  return null;
}

interface Compiled {
  label: string;
  dstPort: number | undefined;
  protocol: number | undefined;
  dstIps: IpSet | undefined;
  names: NameSet | undefined;
}

/**
 * The compiled benign baseline: the configured patterns (a pattern matches when every field it
 * gives matches), then the built-in multicast/broadcast baseline. Evaluated once per new pair.
 */
export class Baseline {
  private readonly patterns: Compiled[];
  private readonly enabled: boolean;
  private readonly multicast: boolean;

  constructor(cfg: BenignBaselineConfig) {
    this.enabled = cfg.enabled;
    this.multicast = cfg.multicast;
    this.patterns = cfg.patterns.map((p) => ({
      label: p.label,
      dstPort: p.dstPort,
      protocol: p.protocol,
      dstIps: p.dstIps === undefined ? undefined : new IpSet(p.dstIps),
      names: p.serverNames === undefined ? undefined : new NameSet(p.serverNames),
    }));
  }

  /**
   * The benign label of traffic to `dstIp:dstPort` over `protocol` (carrying server name
   * `serverName`, if known), or null. For a name-keyed pair `dstIp` is the name itself.
   */
  labelOf(dstIp: string, dstPort: number, protocol: number, serverName?: string): string | null {
    if (!this.enabled) return null;
    for (const p of this.patterns) {
      if (p.dstPort !== undefined && p.dstPort !== dstPort) continue;
      if (p.protocol !== undefined && p.protocol !== protocol) continue;
      if (p.names !== undefined && (serverName === undefined || !p.names.has(serverName))) continue;
      if (p.dstIps !== undefined && !p.dstIps.has(dstIp, () => parseIp(dstIp))) continue;
      return p.label;
    }
    return this.multicast ? multicastLabel(dstIp) : null;
  }
}
