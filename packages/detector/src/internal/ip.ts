/** Address parsing for allowlists: IPv4/IPv6 text to bytes, CIDR prefixes, `src:dst:port` pairs. */

/** Parses dotted IPv4 or RFC 4291 IPv6 text (with `::`, embedded IPv4, optional zone dropped). */
export function parseIp(text: string): Uint8Array | null {
  if (text.includes(':')) return parseIpv6(text);
  return parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseIpv6(input: string): Uint8Array | null {
  const text = input.split('%')[0] as string;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i] as string;
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return null;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
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

/** Canonical text of parsed bytes (dotted IPv4; lower-case, `::`-compressed IPv6), for comparison. */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
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
