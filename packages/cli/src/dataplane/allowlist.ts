import { BlockList, isIP } from 'node:net';
import type { BeaconConfig } from '@beacon/config';

/** One side of an allowlist rule as node:net's BlockList understands it. */
function addRule(list: BlockList, rule: string): void {
  const slash = rule.indexOf('/');
  const addr = slash < 0 ? rule : rule.slice(0, slash);
  const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
  if (isIP(addr) === 0) return; // the config schema has already rejected malformed rules
  if (slash < 0) list.addAddress(addr, family);
  else list.addSubnet(addr, Number(rule.slice(slash + 1)), family);
}

function familyOf(ip: string): 'ipv4' | 'ipv6' {
  return ip.includes(':') ? 'ipv6' : 'ipv4';
}

/** Splits `src:dst:port` (IPv6 in brackets: `[::1]:[2001:db8::5]:443`) into its parts. */
export function parsePair(text: string): { src: string; dst: string; port: number } | null {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const strip = (s: string): string => s.replace(/^\[|\]$/g, '');
  const src = strip(m[1] as string);
  const dst = strip(m[2] as string);
  const port = Number(m[3]);
  if (isIP(src) === 0 || isIP(dst) === 0 || port > 65535) return null;
  return { src, dst, port };
}

/**
 * The `whitelist:` section applied in the collector, before events are buffered: the same
 * rules as the detector's allowlist (source and destination addresses or CIDR prefixes,
 * destination ports from `ports` and `destination_ports`, exact `src:dst:port` pairs).
 */
export class CollectorAllowlist {
  /** True when no rule is configured (every check is skipped). */
  readonly empty: boolean;
  private readonly src = new BlockList();
  private readonly dst = new BlockList();
  private readonly ports: Set<number>;
  private readonly pairs: Array<{ src: BlockList; dst: BlockList; port: number }> = [];

  constructor(whitelist: BeaconConfig['whitelist']) {
    for (const r of whitelist.source_ips) addRule(this.src, r);
    for (const r of whitelist.destination_ips) addRule(this.dst, r);
    this.ports = new Set([...whitelist.ports, ...whitelist.destination_ports]);
    for (const text of whitelist.pairs) {
      const p = parsePair(text);
      if (!p) continue;
      // Compared through BlockList so that differently written forms of one IPv6 address match.
      const src = new BlockList();
      src.addAddress(p.src, familyOf(p.src));
      const dst = new BlockList();
      dst.addAddress(p.dst, familyOf(p.dst));
      this.pairs.push({ src, dst, port: p.port });
    }
    this.empty =
      whitelist.source_ips.length === 0 && whitelist.destination_ips.length === 0 && this.ports.size === 0 && this.pairs.length === 0;
  }

  /** True when traffic from `srcIp` to `dstIp:dstPort` is allowlisted (to be dropped). */
  matches(srcIp: string, dstIp: string, dstPort: number): boolean {
    if (this.empty) return false;
    if (this.ports.has(dstPort)) return true;
    const sf = familyOf(srcIp);
    const df = familyOf(dstIp);
    if (this.src.check(srcIp, sf) || this.dst.check(dstIp, df)) return true;
    for (const p of this.pairs) {
      if (p.port === dstPort && p.src.check(srcIp, sf) && p.dst.check(dstIp, df)) return true;
    }
    return false;
  }
}
