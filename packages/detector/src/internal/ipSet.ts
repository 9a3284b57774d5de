import type { Cidr } from './ip.js';
import { cidrContains, formatIp, parseCidr } from './ip.js';

/** A compiled set of addresses and CIDR prefixes (IPv4 and IPv6): exact addresses in a Set, prefixes scanned. */
export class IpSet {
  private readonly exact = new Set<string>();
  private readonly prefixes: Cidr[] = [];

  constructor(rules: readonly string[]) {
    for (const r of rules) {
      const c = parseCidr(r);
      if (!c) continue; // the config schema has already rejected malformed rules
      if (c.bits === c.bytes.length * 8) this.exact.add(formatIp(c.bytes));
      else this.prefixes.push(c);
    }
  }

  get empty(): boolean {
    return this.exact.size === 0 && this.prefixes.length === 0;
  }

  /** Whether `ip` is in the set; `parsed` parses it (lazily, so callers can share one parse). */
  has(ip: string, parsed: () => Uint8Array | null): boolean {
    if (this.exact.has(ip)) return true;
    if (this.prefixes.length === 0 && this.exact.size === 0) return false;
    const bytes = parsed();
    if (!bytes) return false;
    if (this.exact.size > 0 && this.exact.has(formatIp(bytes))) return true;
    for (const c of this.prefixes) if (cidrContains(c, bytes)) return true;
    return false;
  }
}
