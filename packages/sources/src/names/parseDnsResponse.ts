import { ipv6Text } from '@beacon/detector';
import { normalizeHostName } from './hostName.js';

/** DNS record types the parser reads. */
export const DnsType = { A: 1, CNAME: 5, AAAA: 28 } as const;
/** The DNS header's QR bit (a response). */
export const DNS_QR = 0x8000;
/** Most answer records read from one response; the rest are ignored. */
export const DNS_MAX_ANSWERS = 64;
/** Most compression pointers followed while reading one name (loops end here). */
export const DNS_MAX_POINTERS = 16;

/** Outcome of {@link parseDnsResponse}. */
export const DnsParse = {
  /** A response was read (it may have no answers). */
  Ok: 0,
  /** A DNS query, not a response: nothing to learn. */
  NotResponse: 1,
  /** Lengths, labels or pointers break the format (cut short, loops, oversized names). */
  Malformed: 2,
} as const;
/** One of the {@link DnsParse} values. */
export type DnsParse = (typeof DnsParse)[keyof typeof DnsParse];

/** One address a response maps a name to, with the name the client asked for. */
export interface DnsAddressAnswer {
  /** The question name (the head of any CNAME chain), normalised. */
  name: string;
  /** The address, canonical text. */
  address: string;
  /** Time to live in seconds: the smallest TTL along the CNAME chain. */
  ttlSec: number;
}

/** What {@link parseDnsResponse} found. */
export interface DnsResponseResult {
  status: DnsParse;
  /** The first question's name, when present. */
  query?: string;
  /** A and AAAA answers, each named by the question name through any CNAME chain. */
  answers: DnsAddressAnswer[];
  /** Why the message is malformed. */
  error?: string;
}

interface NameRead {
  name: string;
  /** Offset just past the name in the record (not past pointer targets). */
  next: number;
}

/**
 * Reads a DNS response message (UDP payload, or a TCP one without its 2-byte length prefix):
 * the question name and the A/AAAA answers, each attributed to the question name by following
 * CNAME records (`www.example.com CNAME edge.cdn.net`, `edge.cdn.net A 192.0.2.7` gives
 * `www.example.com -> 192.0.2.7`). Compression pointers must point backwards and are followed at
 * most {@link DNS_MAX_POINTERS} times per name, so loops end; names over 255 bytes, labels over
 * 63 and records past the end are `Malformed`. Never throws.
 */
export function parseDnsResponse(buf: Uint8Array, start: number = 0, end: number = buf.length): DnsResponseResult {
  const answers: DnsAddressAnswer[] = [];
  const bad = (error: string): DnsResponseResult => ({ status: DnsParse.Malformed, answers: [], error });
  if (end - start < 12) return bad('header cut short');
  const msg = buf.subarray(start, end);
  const flags = u16(msg, 2);
  if ((flags & DNS_QR) === 0) return { status: DnsParse.NotResponse, answers };
  const qd = u16(msg, 4);
  const an = u16(msg, 6);
  let p = 12;
  let query: string | undefined;
  for (let i = 0; i < qd; i++) {
    const n = readName(msg, p);
    if (typeof n === 'string') return bad(`question ${i + 1}: ${n}`);
    if (n.next + 4 > msg.length) return bad(`question ${i + 1}: cut short`);
    if (i === 0) query = n.name;
    p = n.next + 4;
  }
  const cnames = new Map<string, { target: string; ttl: number }>();
  const addrs: { owner: string; address: string; ttl: number }[] = [];
  const count = Math.min(an, DNS_MAX_ANSWERS);
  for (let i = 0; i < count; i++) {
    const owner = readName(msg, p);
    if (typeof owner === 'string') return bad(`answer ${i + 1}: ${owner}`);
    p = owner.next;
    if (p + 10 > msg.length) return bad(`answer ${i + 1}: record header cut short`);
    const type = u16(msg, p);
    const ttl = u32(msg, p + 4);
    const rdlen = u16(msg, p + 8);
    p += 10;
    if (p + rdlen > msg.length) return bad(`answer ${i + 1}: data cut short`);
    if (type === DnsType.A && rdlen === 4) {
      addrs.push({ owner: owner.name, address: `${msg[p]}.${msg[p + 1]}.${msg[p + 2]}.${msg[p + 3]}`, ttl });
    } else if (type === DnsType.AAAA && rdlen === 16) {
      addrs.push({ owner: owner.name, address: ipv6(msg, p), ttl });
    } else if (type === DnsType.CNAME) {
      const target = readName(msg, p);
      if (typeof target === 'string') return bad(`answer ${i + 1}: CNAME ${target}`);
      if (target.next > p + rdlen) return bad(`answer ${i + 1}: CNAME runs past its record`);
      cnames.set(target.name, { target: owner.name, ttl });
    } else if (type === DnsType.A || type === DnsType.AAAA) {
      return bad(`answer ${i + 1}: address of ${rdlen} bytes`);
    }
    p += rdlen;
  }
  for (const a of addrs) {
    // Walk the chain back from the address owner towards the question name (bounded).
    let name = a.owner;
    let ttl = a.ttl;
    for (let hops = 0; hops < DNS_MAX_ANSWERS; hops++) {
      const up = cnames.get(name);
      if (up === undefined || up.target === name) break;
      name = up.target;
      ttl = Math.min(ttl, up.ttl);
    }
    const normalised = normalizeHostName(name);
    if (normalised !== undefined) answers.push({ name: normalised, address: a.address, ttlSec: ttl });
  }
  const result: DnsResponseResult = { status: DnsParse.Ok, answers };
  if (query !== undefined) result.query = query;
  return result;
}

function readName(msg: Uint8Array, at: number): NameRead | string {
  let p = at;
  let next = -1;
  let jumps = 0;
  let length = 0;
  let name = '';
  for (;;) {
    if (p >= msg.length) return 'name cut short';
    const len = msg[p] as number;
    if (len === 0) {
      if (next === -1) next = p + 1;
      break;
    }
    const top = len & 0xc0;
    if (top === 0xc0) {
      if (p + 1 >= msg.length) return 'pointer cut short';
      const target = ((len & 0x3f) << 8) | (msg[p + 1] as number);
      if (target >= p) return 'compression pointer does not point backwards';
      if (++jumps > DNS_MAX_POINTERS) return 'too many compression pointers';
      if (next === -1) next = p + 2;
      p = target;
      continue;
    }
    if (top !== 0) return 'reserved label type';
    if (p + 1 + len > msg.length) return 'label cut short';
    length += len + 1;
    if (length > 255) return 'name longer than 255 bytes';
    let label = '';
    for (let i = p + 1; i <= p + len; i++) label += String.fromCharCode(msg[i] as number);
    name = name === '' ? label : `${name}.${label}`;
    p += 1 + len;
  }
  return { name: name.toLowerCase(), next };
}

function u16(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

function u32(b: Uint8Array, i: number): number {
  return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
}

function ipv6(b: Uint8Array, p: number): string {
  return ipv6Text(u32(b, p), u32(b, p + 4), u32(b, p + 8), u32(b, p + 12));
}
