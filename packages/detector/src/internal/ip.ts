/** Address parsing for allowlists: IPv4/IPv6 text to bytes, CIDR prefixes, `src:dst:port` pairs. */

import { ipv4Text, ipv6Text, parseIpv4, parseIpv6 } from '../ipText.js';

/** Parses dotted IPv4 or RFC 4291 IPv6 text (with `::`, embedded IPv4, an optional zone dropped) into bytes. */
export function parseIp(text: string): Uint8Array | null {
  if (text.includes(':')) {
    const pct = text.indexOf('%');
    const w = parseIpv6(pct < 0 ? text : text.slice(0, pct));
    if (w === undefined) return null;
    const out = new Uint8Array(16);
    for (let i = 0; i < 4; i++) {
      const v = w[i] as number;
      out[i * 4] = v >>> 24;
      out[i * 4 + 1] = (v >>> 16) & 255;
      out[i * 4 + 2] = (v >>> 8) & 255;
      out[i * 4 + 3] = v & 255;
    }
    return out;
  }
  const v = parseIpv4(text);
  if (v === undefined) return null;
  return new Uint8Array([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
}

/** A parsed CIDR prefix; a plain address is a full-length prefix. */
export interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

/** Parses `addr` or `addr/bits` (IPv4 or IPv6). Returns null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseIp(addr);
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (slash < 0) return { bytes, bits: max };
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  return bits <= max ? { bytes, bits } : null;
}

/** True when `ip` (parsed) falls inside `cidr`. Address families never match each other. */
export function cidrContains(cidr: Cidr, ip: Uint8Array): boolean {
  if (cidr.bytes.length !== ip.length) return false;
  let bits = cidr.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((cidr.bytes[i] as number) & mask) !== ((ip[i] as number) & mask)) return false;
  }
  return true;
}

/** Canonical text of parsed bytes (the same spelling as {@link ipv4Text} / {@link ipv6Text}), for comparison. */
export function formatIp(bytes: Uint8Array): string {
  const word = (i: number): number => (((bytes[i] as number) << 24) | ((bytes[i + 1] as number) << 16) | ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number)) >>> 0;
  if (bytes.length === 4) return ipv4Text(word(0));
  return ipv6Text(word(0), word(4), word(8), word(12));
}

/** A parsed `src:dst:port` allowlist pair, addresses canonicalised. */
export interface PairRule {
  src: string;
  dst: string;
  port: number;
}

/**
 * Parses `src:dst:port`. IPv6 addresses may be bracketed (`[2001:db8::1]:[2001:db8::2]:443`);
 * unbracketed IPv6 is accepted when exactly one split yields two valid addresses.
 */
export function parsePairRule(text: string): PairRule | null {
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return null;
  const portText = text.slice(lastColon + 1);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return null;
  const port = Number(portText);
  const rest = text.slice(0, lastColon);
  const strip = (s: string): string => (s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s);
  let found: PairRule | null = null;
  for (let i = rest.indexOf(':'); i >= 0; i = rest.indexOf(':', i + 1)) {
    const a = parseIp(strip(rest.slice(0, i)));
    const b = parseIp(strip(rest.slice(i + 1)));
    if (a && b) {
      if (found) return null;
      found = { src: formatIp(a), dst: formatIp(b), port };
    }
  }
  return found;
}
