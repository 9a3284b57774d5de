/**
 * Link, IP and TCP/UDP header decoding into one reused {@link Packet}, so the per-packet path
 * allocates nothing. Lengths come from the IP headers, not the captured length, so a capture
 * cut by a snap length still counts the real payload.
 */

/** Outcome of {@link decodePacket}. */
export const Decoded = {
  Ok: 0,
  NonIp: 1,
  NonTcpUdp: 2,
  Fragment: 3,
  Malformed: 4,
  UnsupportedLink: 5,
} as const;
/** One of the {@link Decoded} values. */
export type Decoded = (typeof Decoded)[keyof typeof Decoded];

/** The fields of one decoded TCP/UDP packet. Address words are signed 32-bit integers (see `word`); IPv4 addresses use word 3 only. */
export class Packet {
  v6 = false;
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  d0 = 0;
  d1 = 0;
  d2 = 0;
  d3 = 0;
  sport = 0;
  dport = 0;
  proto = 0;
  flags = 0;
  /** TCP sequence number (0 for UDP). */
  seq = 0;
  payload = 0;
  /** Offset of the transport payload in the frame buffer. */
  payloadAt = 0;
  /** Payload bytes actually captured (at most `payload`; less when the snap length cut it). */
  payloadCaptured = 0;
  /** Why decoding failed, for {@link Decoded.Malformed}. */
  error = '';
}

/** Link types this decoder understands. */
export function linkTypeSupported(linkType: number): boolean {
  return (
    linkType === 1 || linkType === 113 || linkType === 276 || linkType === 101 || linkType === 228 ||
    linkType === 229 || linkType === 0 || linkType === 108
  );
}

const u16 = (b: Buffer, i: number): number => ((b[i] as number) << 8) | (b[i + 1] as number);
/**
 * An address word, as a signed 32-bit integer: a small integer to V8, stored and passed without
 * allocating, where an unsigned word above 2^31 (any IPv4 address from 128.0.0.0) would be a
 * heap number. Consumers read words with `>>>`, `&` and `| 0`, which do not care.
 */
const word = (b: Buffer, i: number): number => ((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number);

const u32 = (b: Buffer, i: number): number =>
  (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;

function malformed(p: Packet, why: string): Decoded {
  p.error = why;
  return Decoded.Malformed;
}

/** Decodes the frame at buf[off, off + caplen) captured on a link of type `linkType`. */
export function decodePacket(linkType: number, buf: Buffer, off: number, caplen: number, p: Packet): Decoded {
  const end = off + caplen;
  switch (linkType) {
    case 1: // Ethernet
      if (caplen < 14) return malformed(p, 'Ethernet header cut short');
      return etherType(u16(buf, off + 12), buf, off + 14, end, p);
    case 113: // Linux cooked capture v1
      if (caplen < 16) return malformed(p, 'SLL header cut short');
      return etherType(u16(buf, off + 14), buf, off + 16, end, p);
    case 276: // Linux cooked capture v2
      if (caplen < 20) return malformed(p, 'SLL2 header cut short');
      return etherType(u16(buf, off), buf, off + 20, end, p);
    case 101: // raw IP, version from the first nibble
      if (caplen < 1) return malformed(p, 'empty raw IP packet');
      return ipVersion((buf[off] as number) >> 4, buf, off, end, p);
    case 228:
      return ipv4(buf, off, end, p);
    case 229:
      return ipv6(buf, off, end, p);
    case 0: // BSD loopback: address family in the capturing host's byte order
    case 108: {
      // LINKTYPE_LOOP: always big-endian
      if (caplen < 4) return malformed(p, 'loopback header cut short');
      let family = u32(buf, off);
      if (linkType === 0 && family > 0xffff) family = buf.readUInt32LE(off);
      if (family === 2) return ipv4(buf, off + 4, end, p);
      if (family === 24 || family === 28 || family === 30) return ipv6(buf, off + 4, end, p);
      return Decoded.NonIp;
    }
    default:
      return Decoded.UnsupportedLink;
  }
}

function etherType(type: number, buf: Buffer, pos: number, end: number, p: Packet): Decoded {
  // 802.1Q / 802.1ad / old QinQ tags, possibly stacked.
  while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
    if (pos + 4 > end) return malformed(p, 'VLAN tag cut short');
    type = u16(buf, pos + 2);
    pos += 4;
  }
  if (type === 0x0800) return ipv4(buf, pos, end, p);
  if (type === 0x86dd) return ipv6(buf, pos, end, p);
  return Decoded.NonIp;
}

function ipVersion(version: number, buf: Buffer, pos: number, end: number, p: Packet): Decoded {
  if (version === 4) return ipv4(buf, pos, end, p);
  if (version === 6) return ipv6(buf, pos, end, p);
  return Decoded.NonIp;
}

function ipv4(buf: Buffer, pos: number, end: number, p: Packet): Decoded {
  if (pos + 20 > end) return malformed(p, 'IPv4 header cut short');
  const b0 = buf[pos] as number;
  const ihl = (b0 & 15) * 4;
  if (b0 >> 4 !== 4 || ihl < 20) return malformed(p, 'bad IPv4 version or header length');
  if ((u16(buf, pos + 6) & 0x1fff) !== 0) return Decoded.Fragment;
  const total = u16(buf, pos + 2);
  p.v6 = false;
  p.s0 = p.s1 = p.s2 = p.d0 = p.d1 = p.d2 = 0;
  p.s3 = word(buf, pos + 12);
  p.d3 = word(buf, pos + 16);
  // Total length 0 means segmentation offload: the captured length is all there is.
  const ipEnd = total >= ihl ? pos + total : end;
  return transport(buf[pos + 9] as number, buf, pos + ihl, ipEnd, end, p);
}

function ipv6(buf: Buffer, pos: number, end: number, p: Packet): Decoded {
  if (pos + 40 > end) return malformed(p, 'IPv6 header cut short');
  if ((buf[pos] as number) >> 4 !== 6) return malformed(p, 'bad IPv6 version');
  const plen = u16(buf, pos + 4);
  let nh = buf[pos + 6] as number;
  p.v6 = true;
  p.s0 = word(buf, pos + 8);
  p.s1 = word(buf, pos + 12);
  p.s2 = word(buf, pos + 16);
  p.s3 = word(buf, pos + 20);
  p.d0 = word(buf, pos + 24);
  p.d1 = word(buf, pos + 28);
  p.d2 = word(buf, pos + 32);
  p.d3 = word(buf, pos + 36);
  const ipEnd = plen > 0 ? pos + 40 + plen : end;
  let l4 = pos + 40;
  // Hop-by-hop, routing, fragment, destination options, authentication header.
  while (nh === 0 || nh === 43 || nh === 44 || nh === 60 || nh === 51) {
    if (l4 + 8 > end) return malformed(p, 'IPv6 extension header cut short');
    if (nh === 44) {
      if ((u16(buf, l4 + 2) & 0xfff8) !== 0) return Decoded.Fragment;
      nh = buf[l4] as number;
      l4 += 8;
    } else {
      const len = nh === 51 ? ((buf[l4 + 1] as number) + 2) * 4 : ((buf[l4 + 1] as number) + 1) * 8;
      nh = buf[l4] as number;
      l4 += len;
    }
  }
  return transport(nh, buf, l4, ipEnd, end, p);
}

function transport(proto: number, buf: Buffer, l4: number, ipEnd: number, end: number, p: Packet): Decoded {
  p.proto = proto;
  if (proto === 6) {
    if (l4 + 14 > end) return malformed(p, 'TCP header cut short');
    p.sport = u16(buf, l4);
    p.dport = u16(buf, l4 + 2);
    p.flags = buf[l4 + 13] as number;
    p.seq = (((buf[l4 + 4] as number) << 24) | ((buf[l4 + 5] as number) << 16) | ((buf[l4 + 6] as number) << 8) | (buf[l4 + 7] as number)) >>> 0;
    const dataOff = ((buf[l4 + 12] as number) >> 4) * 4;
    p.payload = Math.max(0, ipEnd - l4 - dataOff);
    p.payloadAt = l4 + dataOff;
    p.payloadCaptured = Math.max(0, Math.min(ipEnd, end) - p.payloadAt);
    return Decoded.Ok;
  }
  if (proto === 17) {
    if (l4 + 4 > end) return malformed(p, 'UDP header cut short');
    p.sport = u16(buf, l4);
    p.dport = u16(buf, l4 + 2);
    p.flags = 0;
    p.seq = 0;
    p.payload = Math.max(0, ipEnd - l4 - 8);
    p.payloadAt = l4 + 8;
    p.payloadCaptured = Math.max(0, Math.min(ipEnd, end) - p.payloadAt);
    return Decoded.Ok;
  }
  return Decoded.NonTcpUdp;
}
