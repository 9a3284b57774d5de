import type { AllowlistConfig } from '../config.js';
import type { PairRule } from './ip.js';
import { formatIp, parseIp, parsePairRule } from './ip.js';
import { IpSet } from './ipSet.js';
import { NameSet } from './serverNames.js';

/** The compiled allowlist. Evaluated once per new pair key, never per event of a known pair. */
export class Allowlist {
  private readonly src: IpSet;
  private readonly dst: IpSet;
  private readonly ports: Set<number>;
  private readonly pairs = new Set<string>();
  /** Allowlisted server names and wildcard suffixes. */
  readonly names: NameSet;
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
    this.names = new NameSet(cfg.serverNames ?? []);
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
