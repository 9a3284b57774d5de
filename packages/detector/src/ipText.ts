/**
 * Address text, one implementation for every package: parsing and formatting IPv4 and IPv6
 * (RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups
 * compressed, IPv4-mapped addresses with their dotted tail), canonical text of addresses other
 * tools wrote, and the allocation-free helpers the readers use on their hot paths. The detector,
 * the offline sources, the probe and the server's telemetry decoder all key pairs by this text,
 * so one address has one spelling whichever source saw it.
 *
 * Hand-written rather than `node:net`/`URL`: `net.isIP` does not canonicalise, the WHATWG URL
 * serializer writes IPv4-mapped addresses in hex, and both allocate per call where these work on
 * numbers and bytes with small direct-mapped caches (measured in the readers' benchmarks).
 * @module
 */
/** Dotted-quad text of an IPv4 address held as an unsigned 32-bit number. */
export function ipv4Text(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/**
 * RFC 5952 text of an IPv6 address given as four 32-bit words: lowercase hex, no leading
 * zeros, the longest run of two or more zero groups (the first on a tie) compressed to `::`.
 * IPv4-mapped addresses (::ffff:a.b.c.d) keep the dotted tail, as section 5 recommends.
 */
export function ipv6Text(w0: number, w1: number, w2: number, w3: number): string {
  if (w0 === 0 && w1 === 0 && w2 === 0xffff) return `::ffff:${ipv4Text(w3)}`;
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
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
  const hex = (from: number, to: number): string => g.slice(from, to).map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** Parses IPv6 text (any valid form, including a dotted IPv4 tail) into four words, or undefined. */
export function parseIpv6(text: string): [number, number, number, number] | undefined {
  if (text.includes('%')) return undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) < 0) {
    const groups = parseGroups(text);
    return groups === undefined ? undefined : toWords(groups);
  }
  // A dotted IPv4 tail stands for the last two groups.
  const v4 = parseIpv4(text.slice(lastColon + 1));
  const groups = v4 === undefined ? undefined : parseGroups(`${text.slice(0, lastColon + 1)}0:0`);
  if (v4 === undefined || groups === undefined) return undefined;
  groups[6] = v4 >>> 16;
  groups[7] = v4 & 0xffff;
  return toWords(groups);
}

function toWords(g: number[]): [number, number, number, number] {
  const w = (i: number): number => (((g[i] as number) << 16) | (g[i + 1] as number)) >>> 0;
  return [w(0), w(2), w(4), w(6)];
}

function parseGroups(s: string): number[] | undefined {
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return undefined;
  const part = (p: string): number[] | undefined => {
    if (p === '') return [];
    const out: number[] = [];
    for (const h of p.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return undefined;
      out.push(parseInt(h, 16));
    }
    return out;
  };
  if (dbl < 0) {
    const g = part(s);
    return g !== undefined && g.length === 8 ? g : undefined;
  }
  const head = part(s.slice(0, dbl));
  const rest = part(s.slice(dbl + 2));
  if (head === undefined || rest === undefined || head.length + rest.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
}

/** Parses dotted-quad IPv4 text into an unsigned 32-bit number, or undefined. */
export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    v = v * 256 + o;
  }
  return v;
}

/** True for a dotted quad without leading zeros: already canonical, no parsing or caching needed. */
function isCanonicalIpv4(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return false;
      digits = 0;
      octet = 0;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || (digits === 1 && octet === 0)) return false;
      octet = octet * 10 + d;
      if (++digits > 3 || octet > 255) return false;
    }
  }
  return dots === 3 && digits > 0;
}

const cache = new Map<string, string>();

/**
 * Canonical text of an address written by someone else (Zeek logs): IPv4 must be a dotted quad,
 * IPv6 is re-written per RFC 5952. Undefined if it is not an address. Cached, bounded.
 */
export function canonicalIp(text: string): string | undefined {
  if (isCanonicalIpv4(text)) return text;
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  let out: string | undefined;
  if (text.includes(':')) {
    const w = parseIpv6(text);
    out = w === undefined ? undefined : ipv6Text(w[0], w[1], w[2], w[3]);
  } else {
    const v = parseIpv4(text);
    out = v === undefined ? undefined : ipv4Text(v);
  }
  if (out !== undefined) {
    if (cache.size >= 65_536) cache.clear();
    cache.set(text, out);
  }
  return out;
}

/** IPv4 dotted quad in buf[start, end) as an unsigned 32-bit number, or -1 if it is not one. */
export function parseIpv4Bytes(buf: Uint8Array, start: number, end: number): number {
  const v = parseIpv4BytesInt32(buf, start, end);
  return v === v ? v >>> 0 : -1;
}

/**
 * {@link parseIpv4Bytes} for a hot loop: the address as a signed 32-bit integer (`v | 0`; read
 * it back with `>>> 0`), NaN if it is not one. A value in the signed 32-bit range passes between
 * functions as a small integer, where an address above 127.255.255.255 as an unsigned number
 * would be a heap number allocated on every call.
 */
export function parseIpv4BytesInt32(buf: Uint8Array, start: number, end: number): number {
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i] as number;
    if (c === 46) {
      if (digits === 0 || dots === 3) return Number.NaN;
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3) return Number.NaN;
      octet = octet * 10 + d;
      if (octet > 255) return Number.NaN;
      digits++;
    }
  }
  if (dots !== 3 || digits === 0) return Number.NaN;
  return (v * 256 + octet) | 0;
}

/**
 * Text of IPv4 addresses by value, in a direct-mapped table of its own (one slot per hash, newest wins):
 * hosts repeat across rows, and this is several times cheaper than a Map or a new string.
 */
export class Ipv4TextCache {
  private readonly keys = new Int32Array(1 << 16);
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(1 << 16).fill(undefined);

  get(v: number): string {
    const slot = Math.imul(v, 0x9e3779b1) >>> 16;
    const text = this.texts[slot];
    if (text !== undefined && this.keys[slot] === (v | 0)) return text;
    const fresh = ipv4Text(v);
    this.keys[slot] = v;
    this.texts[slot] = fresh;
    return fresh;
  }
}

const V4_SLOTS = 4096;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Text: Array<string | undefined> = new Array<string | undefined>(V4_SLOTS).fill(undefined);

/** Dotted text of an IPv4 address given as its 32 bits, through a small shared cache (for per-record use). */
export function ipv4TextCached(key: number): string {
  const slot = (key ^ (key >>> 12) ^ (key >>> 20)) & (V4_SLOTS - 1);
  const cached = v4Text[slot];
  if (cached !== undefined && v4Keys[slot] === (key | 0)) return cached;
  const text = ipv4Text(key);
  v4Keys[slot] = key;
  v4Text[slot] = text;
  return text;
}

const word32 = (buf: Uint8Array, off: number): number =>
  (((buf[off] ?? 0) << 24) | ((buf[off + 1] ?? 0) << 16) | ((buf[off + 2] ?? 0) << 8) | (buf[off + 3] ?? 0)) >>> 0;

/** Formats the IPv4 address stored in network byte order at `buf[off..off+4]`. */
export function formatIpv4(buf: Uint8Array, off: number): string {
  return ipv4TextCached(word32(buf, off));
}

const V6_SLOTS = 1024;
const v6Keys = new Int32Array(V6_SLOTS * 4);
const v6Text: Array<string | undefined> = new Array<string | undefined>(V6_SLOTS).fill(undefined);

/** Formats the 16-byte IPv6 address at `buf[off..off+16]` per RFC 5952, through a small shared cache. */
export function formatIpv6(buf: Uint8Array, off: number): string {
  const w0 = word32(buf, off);
  const w1 = word32(buf, off + 4);
  const w2 = word32(buf, off + 8);
  const w3 = word32(buf, off + 12);
  let h = Math.imul(w0 ^ (w1 >>> 7), 0x9e3779b1) ^ Math.imul(w2 ^ (w3 >>> 11), 0x85ebca6b) ^ w3;
  h = (h ^ (h >>> 15)) & (V6_SLOTS - 1);
  const cached = v6Text[h];
  const k = h * 4;
  if (cached !== undefined && v6Keys[k] === (w0 | 0) && v6Keys[k + 1] === (w1 | 0) && v6Keys[k + 2] === (w2 | 0) && v6Keys[k + 3] === (w3 | 0)) {
    return cached;
  }
  const text = ipv6Text(w0, w1, w2, w3);
  v6Keys[k] = w0;
  v6Keys[k + 1] = w1;
  v6Keys[k + 2] = w2;
  v6Keys[k + 3] = w3;
  v6Text[h] = text;
  return text;
}
