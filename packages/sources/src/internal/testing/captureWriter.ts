/**
 * Builds small pcap/pcapng captures in memory for tests and benchmarks: frames (Ethernet with
 * VLAN tags, Linux SLL/SLL2, raw IP) around IPv4/IPv6 TCP/UDP packets.
 */
import { parseIpv4, parseIpv6 } from '@beacon/detector';

/** One packet to build. */
export interface PacketSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** 'tcp' (default) or 'udp', or a protocol number for other IP payloads. */
  proto?: 'tcp' | 'udp' | number;
  /** TCP flags, e.g. 0x02 SYN. */
  flags?: number;
  /** Payload bytes (filled with `a`), when `data` is not given. */
  payload?: number;
  /** The payload itself (a captured ClientHello, a DNS message). */
  data?: Buffer;
  /** IPv6 extension headers to insert before the transport header (next-header numbers). */
  ext?: number[];
  /** IPv4 fragment offset in 8-byte units (non-zero makes a non-first fragment). */
  fragOffset?: number;
  /**
   * TCP sequence number. By default each direction of a 4-tuple counts on from where its last
   * packet built here ended (a SYN or FIN takes one), as a real sender's would; give it to build
   * retransmissions or reordered segments.
   */
  seq?: number;
}

/** Next sequence number per direction (src, sport, dst, dport) of the TCP packets built here. */
const nextSeq = new Map<string, number>();

/** FIN, SYN, RST, PSH, ACK. */
export const F = 0x01;
export const S = 0x02;
export const R = 0x04;
export const P = 0x08;
export const A = 0x10;

function transport(p: PacketSpec): { proto: number; bytes: Buffer } {
  const payload = p.data ?? Buffer.alloc(p.payload ?? 0, 0x61);
  const proto = p.proto === undefined || p.proto === 'tcp' ? 6 : p.proto === 'udp' ? 17 : p.proto;
  if (proto === 6) {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(p.sport, 0);
    h.writeUInt16BE(p.dport, 2);
    h[12] = 5 << 4;
    h[13] = p.flags ?? A;
    const dir = `${p.src}|${p.sport}|${p.dst}|${p.dport}`;
    const seq = (p.seq ?? nextSeq.get(dir) ?? 1000) >>> 0;
    h.writeUInt32BE(seq, 4);
    const used = payload.length + ((h[13] & S) !== 0 ? 1 : 0) + ((h[13] & F) !== 0 ? 1 : 0);
    nextSeq.set(dir, (seq + used) >>> 0);
    return { proto, bytes: Buffer.concat([h, payload]) };
  }
  const h = Buffer.alloc(8);
  h.writeUInt16BE(p.sport, 0);
  h.writeUInt16BE(p.dport, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return { proto, bytes: Buffer.concat([h, payload]) };
}

/** An IPv4 or IPv6 packet (chosen by the address text). */
export function ipPacket(p: PacketSpec): Buffer {
  const { proto, bytes } = transport(p);
  if (!p.src.includes(':')) {
    const h = Buffer.alloc(20);
    h[0] = 0x45;
    h.writeUInt16BE(20 + bytes.length, 2);
    h.writeUInt16BE((p.fragOffset ?? 0) & 0x1fff, 6);
    h[8] = 64;
    h[9] = proto;
    h.writeUInt32BE(parseIpv4(p.src) ?? 0, 12);
    h.writeUInt32BE(parseIpv4(p.dst) ?? 0, 16);
    return Buffer.concat([h, bytes]);
  }
  const exts = p.ext ?? [];
  const chain = [...exts, proto];
  const extBufs = exts.map((type, i) => {
    const e = Buffer.alloc(8);
    e[0] = chain[i + 1] as number;
    if (type === 44) e.writeUInt16BE(0, 2); // first fragment, offset 0
    return e;
  });
  const body = Buffer.concat([...extBufs, bytes]);
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(body.length, 4);
  h[6] = chain[0] as number;
  h[7] = 64;
  (parseIpv6(p.src) ?? [0, 0, 0, 0]).forEach((w, i) => h.writeUInt32BE(w, 8 + 4 * i));
  (parseIpv6(p.dst) ?? [0, 0, 0, 0]).forEach((w, i) => h.writeUInt32BE(w, 24 + 4 * i));
  return Buffer.concat([h, body]);
}

function etherTypeOf(ip: Buffer): number {
  return (ip[0] as number) >> 4 === 6 ? 0x86dd : 0x0800;
}

/** Ethernet frame, optionally with stacked VLAN tags (outer first: 0x88a8, then 0x8100). */
export function ethernet(ip: Buffer, vlans: number[] = [], etherType: number = etherTypeOf(ip)): Buffer {
  const tags = vlans.map((id, i) => {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100, 0);
    t.writeUInt16BE(id, 2);
    return t;
  });
  const type = Buffer.alloc(2);
  type.writeUInt16BE(etherType, 0);
  return Buffer.concat([Buffer.alloc(12, 2), ...tags, type, ip]);
}

/** Linux cooked capture v1 (link type 113). */
export function sll(ip: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(4, 0);
  h.writeUInt16BE(1, 2);
  h.writeUInt16BE(6, 4);
  h.writeUInt16BE(etherTypeOf(ip), 14);
  return Buffer.concat([h, ip]);
}

/** Linux cooked capture v2 (link type 276). */
export function sll2(ip: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(etherTypeOf(ip), 0);
  h.writeUInt32BE(2, 4);
  h.writeUInt16BE(1, 8);
  h[11] = 6;
  return Buffer.concat([h, ip]);
}

/** One record: time in seconds (may be fractional) or an exact [sec, nsec] pair. */
export interface Rec {
  t: number | [number, number];
  data: Buffer;
  /** pcapng interface index. */
  iface?: number;
}

function secNsec(t: Rec['t']): [number, number] {
  if (Array.isArray(t)) return t;
  const sec = Math.floor(t);
  return [sec, Math.round((t - sec) * 1e9)];
}

/** A classic pcap file. */
export function pcapFile(linkType: number, recs: Rec[], opts: { bigEndian?: boolean; nano?: boolean } = {}): Buffer {
  const be = opts.bigEndian ?? false;
  const w32 = (b: Buffer, v: number, o: number): void => void (be ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const w16 = (b: Buffer, v: number, o: number): void => void (be ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o));
  const g = Buffer.alloc(24);
  w32(g, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(g, 2, 4);
  w16(g, 4, 6);
  w32(g, 65535, 16);
  w32(g, linkType, 20);
  const parts: Buffer[] = [g];
  for (const r of recs) {
    const [sec, nsec] = secNsec(r.t);
    const h = Buffer.alloc(16);
    w32(h, sec, 0);
    w32(h, opts.nano ? nsec : Math.floor(nsec / 1000), 4);
    w32(h, r.data.length, 8);
    w32(h, r.data.length, 12);
    parts.push(h, r.data);
  }
  return Buffer.concat(parts);
}

function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

/** A pcapng interface: link type and optional `if_tsresol` byte. */
export interface NgIface {
  linkType: number;
  tsresol?: number;
}

/** A little-endian pcapng file with one section; `extra` blocks (e.g. unknown types) go first. */
export function pcapngFile(ifaces: NgIface[], recs: Rec[], extra: Buffer[] = []): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const parts: Buffer[] = [block(0x0a0d0d0a, shb), ...extra];
  for (const i of ifaces) {
    const opts = i.tsresol === undefined ? Buffer.alloc(0) : Buffer.from([9, 0, 1, 0, i.tsresol, 0, 0, 0, 0, 0, 0, 0]);
    const body = Buffer.alloc(8);
    body.writeUInt16LE(i.linkType, 0);
    body.writeUInt32LE(0, 4);
    parts.push(block(1, Buffer.concat([body, opts])));
  }
  for (const r of recs) {
    const iface = r.iface ?? 0;
    const res = ifaces[iface]?.tsresol ?? 6;
    const [sec, nsec] = secNsec(r.t);
    const units = BigInt(sec) * 10n ** BigInt(res) + (BigInt(nsec) * 10n ** BigInt(res)) / 1_000_000_000n;
    const h = Buffer.alloc(20);
    h.writeUInt32LE(iface, 0);
    h.writeUInt32LE(Number(units >> 32n), 4);
    h.writeUInt32LE(Number(units & 0xffffffffn), 8);
    h.writeUInt32LE(r.data.length, 12);
    h.writeUInt32LE(r.data.length, 16);
    parts.push(block(6, Buffer.concat([h, r.data])));
  }
  return Buffer.concat(parts);
}

/** A pcapng block of any type (for unknown-block tests). */
export function pcapngBlock(type: number, body: Buffer): Buffer {
  return block(type, body);
}
