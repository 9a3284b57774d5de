/** Canonical text for addresses read from records: dotted IPv4, RFC 5952 IPv6. */

const v4Cache = new Map<number, string>();

/** Formats the IPv4 address stored in network byte order at `buf[off..off+4]`. */
export function formatIpv4(buf: Uint8Array, off: number): string {
  const a = buf[off] ?? 0;
  const b = buf[off + 1] ?? 0;
  const c = buf[off + 2] ?? 0;
  const d = buf[off + 3] ?? 0;
  const key = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  let text = v4Cache.get(key);
  if (text === undefined) {
    if (v4Cache.size >= 65_536) v4Cache.clear();
    text = `${a}.${b}.${c}.${d}`;
    v4Cache.set(key, text);
  }
  return text;
}

/** Formats the 16-byte IPv6 address at `buf[off..off+16]` per RFC 5952 (lowercase, longest zero run compressed). */
export function formatIpv6(buf: Uint8Array, off: number): string {
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
