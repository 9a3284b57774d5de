import type { AllowlistConfig, BenignBaselineConfig } from '../config.js';
import type { Cidr, PairRule } from './ip.js';
import { cidrContains, formatIp, parseCidr, parseIp, parsePairRule } from './ip.js';

/** A compiled IP rule set: exact addresses in a Set, prefixes scanned. */
class IpSet {
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

/** The compiled allowlist. Evaluated once per new pair key, never per event of a known pair. */
export class Allowlist {
  private readonly src: IpSet;
  private readonly dst: IpSet;
  private readonly ports: Set<number>;
  private readonly pairs = new Set<string>();
  /** True when no rule is configured (the common case: skip all checks). */
  readonly empty: boolean;

  constructor(cfg: AllowlistConfig) {
    this.src = new IpSet(cfg.sourceIps);
    this.dst = new IpSet(cfg.destinationIps);
    this.ports = new Set(cfg.destinationPorts);
    for (const text of cfg.pairs) {
      const r: PairRule | null = parsePairRule(text);
      if (r) this.pairs.add(`${r.src} ${r.dst} ${r.port}`);
    }
    this.empty = this.src.empty && this.dst.empty && this.ports.size === 0 && this.pairs.size === 0;
  }

  /** True when traffic from `srcIp` to `dstIp:dstPort` must be dropped before scoring. */
  matches(srcIp: string, dstIp: string, dstPort: number): boolean {
    if (this.empty) return false;
    if (this.ports.has(dstPort)) return true;
    let s: Uint8Array | null | undefined;
    let d: Uint8Array | null | undefined;
    const srcBytes = (): Uint8Array | null => (s === undefined ? (s = parseIp(srcIp)) : s);
    const dstBytes = (): Uint8Array | null => (d === undefined ? (d = parseIp(dstIp)) : d);
    if (this.src.has(srcIp, srcBytes)) return true;
    if (this.dst.has(dstIp, dstBytes)) return true;
    if (this.pairs.size > 0) {
      if (this.pairs.has(`${srcIp} ${dstIp} ${dstPort}`)) return true;
      const a = srcBytes();
      const b = dstBytes();
      if (a && b && this.pairs.has(`${formatIp(a)} ${formatIp(b)} ${dstPort}`)) return true;
    }
    return false;
  }
}

/** Finds the benign-baseline label for a destination port and protocol, or null. */
export function benignLabel(cfg: BenignBaselineConfig, dstPort: number, protocol: number): string | null {
  if (!cfg.enabled) return null;
  for (const p of cfg.patterns) if (p.dstPort === dstPort && p.protocol === protocol) return p.label;
  return null;
}
