/**
 * Canonical text for addresses read from records: dotted IPv4, RFC 5952 IPv6. Both formatters
 * intern their results in small direct-mapped caches keyed by the raw address bytes, so a
 * stream that repeats addresses (the usual case) allocates no new strings.
 */

const V4_SLOTS = 4096;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Text: Array<string | undefined> = new Array<string | undefined>(V4_SLOTS).fill(undefined);

/** Formats the IPv4 address stored in network byte order at `buf[off..off+4]`. */
export function formatIpv4(buf: Uint8Array, off: number): string {
  return ipv4Text(((buf[off] ?? 0) << 24) | ((buf[off + 1] ?? 0) << 16) | ((buf[off + 2] ?? 0) << 8) | (buf[off + 3] ?? 0));
}

/** Dotted text of an IPv4 address given as its 32 bits (first octet most significant). */
export function ipv4Text(key: number): string {
  const slot = (key ^ (key >>> 12) ^ (key >>> 20)) & (V4_SLOTS - 1);
  const cached = v4Text[slot];
  if (cached !== undefined && v4Keys[slot] === key) return cached;
  const text = `${key >>> 24}.${(key >>> 16) & 255}.${(key >>> 8) & 255}.${key & 255}`;
  v4Keys[slot] = key;
  v4Text[slot] = text;
  return text;
}

const V6_SLOTS = 1024;
const v6Keys = new Int32Array(V6_SLOTS * 4);
const v6Text: Array<string | undefined> = new Array<string | undefined>(V6_SLOTS).fill(undefined);

const word32 = (buf: Uint8Array, off: number): number =>
  ((buf[off] ?? 0) << 24) | ((buf[off + 1] ?? 0) << 16) | ((buf[off + 2] ?? 0) << 8) | (buf[off + 3] ?? 0);

/** Formats the 16-byte IPv6 address at `buf[off..off+16]` per RFC 5952 (lowercase, longest zero run compressed). */
export function formatIpv6(buf: Uint8Array, off: number): string {
  const w0 = word32(buf, off);
  const w1 = word32(buf, off + 4);
  const w2 = word32(buf, off + 8);
  const w3 = word32(buf, off + 12);
  let h = Math.imul(w0 ^ (w1 >>> 7), 0x9e3779b1) ^ Math.imul(w2 ^ (w3 >>> 11), 0x85ebca6b) ^ w3;
  h = (h ^ (h >>> 15)) & (V6_SLOTS - 1);
  const cached = v6Text[h];
  const k = h * 4;
  if (cached !== undefined && v6Keys[k] === w0 && v6Keys[k + 1] === w1 && v6Keys[k + 2] === w2 && v6Keys[k + 3] === w3) {
    return cached;
  }
  const text = formatIpv6Slow(buf, off);
  v6Keys[k] = w0;
  v6Keys[k + 1] = w1;
  v6Keys[k + 2] = w2;
  v6Keys[k + 3] = w3;
  v6Text[h] = text;
  return text;
}

function formatIpv6Slow(buf: Uint8Array, off: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((buf[off + 2 * i] ?? 0) << 8) | (buf[off + 2 * i + 1] ?? 0));
  // IPv4-mapped addresses keep their dotted tail (RFC 5952 section 5).
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${formatIpv4(buf, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}
