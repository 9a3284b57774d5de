import { canonicalIp, type DataPlaneStats } from '@beacon/server';
import type { ConnectionEvent, Direction, EventKind } from '@beacon/detector';
import { ClusterError } from './clusterError.js';

/**
 * The binary event batch carried by one stream message (version 1, little-endian):
 *
 *     u8 magic 0xBE, u8 version 1, u8 flags (bit 0: data-plane stats follow), u8 0
 *     u32 event count, u32 string count
 *     [flags & 1] f64 events_dropped_ebpf, f64 events_dropped_overflow, u16 length + UTF-8 node id
 *     strings: u16 byte length + UTF-8 bytes (addresses and node ids, each once)
 *     events, RECORD bytes each:
 *       f64 tsSec, u32 tsNsec, u32 src (string index), u32 dst, u32 node,
 *       u16 srcPort, u16 dstPort, u8 protocol, u8 direction, u8 kind, u8 tcpFlags,
 *       f64 bytes, f64 packets, f64 durationSec (NaN: none)
 *
 * One message holds events of one partition, so source addresses repeat and the string table
 * stays small; each string is validated once on decode.
 */
const MAGIC = 0xbe;
const VERSION = 1;
const HEADER = 12;
const STATS = 16;
const RECORD = 56;
const FLAG_STATS = 1;
const MAX_STRING = 0xffff;

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress', 'unknown'];
const KINDS: readonly EventKind[] = ['flow_start', 'burst', 'flow_end'];

/** Encodes events (and optionally a node's drop counters) as one message body. */
export function encodeEvents(events: readonly ConnectionEvent[], nodeStats?: { nodeId: string; stats: DataPlaneStats }): Uint8Array {
  // Pass 1: the string table (each address and node id once) and each event's three indices.
  const index = new Map<string, number>();
  const strings: string[] = [];
  const lengths: number[] = [];
  let stringBytes = 0;
  const add = (s: string): number => {
    const i = strings.length;
    // A node id longer than a u16 length allows is cut (at most 3 bytes per UTF-16 unit).
    const v = s.length > MAX_STRING / 3 ? s.slice(0, MAX_STRING / 3) : s;
    const len = Buffer.byteLength(v);
    index.set(s, i);
    strings.push(v);
    lengths.push(len);
    stringBytes += 2 + len;
    return i;
  };
  const n = events.length;
  const refs = new Uint32Array(n * 3);
  // Consecutive events mostly share their node and often their destination: one compare then.
  let lastDst = '';
  let lastDstI = -1;
  let lastNode = '';
  let lastNodeI = -1;
  for (let i = 0, r = 0; i < n; i++, r += 3) {
    const e = events[i]!;
    const src = e.srcIp;
    refs[r] = index.get(src) ?? add(src);
    const dst = e.dstIp;
    if (dst !== lastDst || lastDstI < 0) lastDstI = index.get((lastDst = dst)) ?? add(dst);
    refs[r + 1] = lastDstI;
    const node = e.node;
    if (node !== lastNode || lastNodeI < 0) lastNodeI = index.get((lastNode = node)) ?? add(node);
    refs[r + 2] = lastNodeI;
  }
  const nodeId = nodeStats ? nodeStats.nodeId.slice(0, MAX_STRING / 3) : '';
  const stats = nodeStats?.stats;
  const statsBytes = stats ? STATS + 2 + Buffer.byteLength(nodeId) : 0;
  const buf = Buffer.allocUnsafe(HEADER + statsBytes + stringBytes + n * RECORD);
  // DataView: explicit little-endian on any host, and much faster than Buffer's write methods.
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  buf[0] = MAGIC;
  buf[1] = VERSION;
  buf[2] = stats ? FLAG_STATS : 0;
  buf[3] = 0;
  view.setUint32(4, n, true);
  view.setUint32(8, strings.length, true);
  let o = HEADER;
  if (stats) {
    view.setFloat64(o, stats.events_dropped_ebpf, true);
    view.setFloat64(o + 8, stats.events_dropped_overflow, true);
    const len = buf.write(nodeId, o + STATS + 2, 'utf8');
    view.setUint16(o + STATS, len, true);
    o += STATS + 2 + len;
  }
  for (let i = 0; i < strings.length; i++) {
    const len = lengths[i]!;
    view.setUint16(o, len, true);
    buf.write(strings[i]!, o + 2, len, 'utf8');
    o += 2 + len;
  }
  // Pass 2: the fixed-size records.
  for (let i = 0; i < n; i++, o += RECORD) {
    const e = events[i]!;
    view.setFloat64(o, e.tsSec, true);
    view.setUint32(o + 8, e.tsNsec, true);
    view.setUint32(o + 12, refs[i * 3]!, true);
    view.setUint32(o + 16, refs[i * 3 + 1]!, true);
    view.setUint32(o + 20, refs[i * 3 + 2]!, true);
    view.setUint16(o + 24, e.srcPort, true);
    view.setUint16(o + 26, e.dstPort, true);
    buf[o + 28] = e.protocol;
    const d = e.direction;
    buf[o + 29] = d === 'egress' ? 1 : d === 'ingress' ? 0 : 2;
    const k = e.kind;
    buf[o + 30] = k === 'flow_start' ? 0 : k === 'burst' ? 1 : k === 'flow_end' ? 2 : 0;
    buf[o + 31] = e.tcpFlags & 0xff;
    view.setFloat64(o + 32, e.bytes, true);
    view.setFloat64(o + 40, e.packets, true);
    view.setFloat64(o + 48, e.durationSec ?? Number.NaN, true);
  }
  return buf;
}

/** A decoded message: its valid events, how many records were refused, and the node's counters. */
export interface DecodedEvents {
  events: ConnectionEvent[];
  /** Records refused (a bad address, time or size): counted, never applied. */
  rejected: number;
  stats: DataPlaneStats | undefined;
  /** The node the counters belong to ('' without counters). */
  statsNode: string;
}

const good = (v: number): boolean => Number.isFinite(v) && v >= 0;

/**
 * Decodes a message body into events the detector can take on its trusted path: every string
 * used as an address is checked to be canonical address text, every number to be in range.
 * @throws {@link ClusterError} `INVALID_MESSAGE` when the body is not a version-1 batch
 */
export function decodeEvents(data: Uint8Array): DecodedEvents {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const bad = (why: string): never => {
    throw new ClusterError('INVALID_MESSAGE', `not a Beacon event batch: ${why}`);
  };
  if (buf.length < HEADER || buf[0] !== MAGIC) bad('bad magic byte');
  if (buf[1] !== VERSION) bad(`version ${buf[1]} (this reader knows ${VERSION})`);
  const count = buf.readUInt32LE(4);
  const nStrings = buf.readUInt32LE(8);
  let o = HEADER;
  let stats: DataPlaneStats | undefined;
  let statsNode = '';
  if ((buf[2]! & FLAG_STATS) !== 0) {
    if (buf.length < o + STATS + 2) bad('truncated counters');
    stats = { events_dropped_ebpf: buf.readDoubleLE(o), events_dropped_overflow: buf.readDoubleLE(o + 8) };
    const len = buf.readUInt16LE(o + STATS);
    if (buf.length < o + STATS + 2 + len) bad('truncated counters');
    statsNode = buf.toString('utf8', o + STATS + 2, o + STATS + 2 + len);
    if (!good(stats.events_dropped_ebpf) || !good(stats.events_dropped_overflow)) stats = undefined;
    o += STATS + 2 + len;
  }
  const strings: string[] = [];
  for (let i = 0; i < nStrings; i++) {
    if (o + 2 > buf.length) bad('truncated string table');
    const len = buf.readUInt16LE(o);
    if (o + 2 + len > buf.length) bad('truncated string table');
    strings.push(buf.toString('utf8', o + 2, o + 2 + len));
    o += 2 + len;
  }
  if (buf.length !== o + count * RECORD) bad(`${buf.length - o} bytes of records for ${count} events`);
  // -1 unchecked, 0 not an address, 1 canonical address
  const isAddr = new Int8Array(nStrings).fill(-1);
  const addr = (i: number): boolean => {
    if (i >= nStrings) return false;
    if (isAddr[i] === -1) isAddr[i] = canonicalIp(strings[i]!) === strings[i] ? 1 : 0;
    return isAddr[i] === 1;
  };
  const events: ConnectionEvent[] = [];
  let rejected = 0;
  for (let n = 0; n < count; n++, o += RECORD) {
    const tsSec = view.getFloat64(o, true);
    const tsNsec = view.getUint32(o + 8, true);
    const src = view.getUint32(o + 12, true);
    const dst = view.getUint32(o + 16, true);
    const node = view.getUint32(o + 20, true);
    const direction = DIRECTIONS[buf[o + 29]!];
    const kind = KINDS[buf[o + 30]!];
    const bytes = view.getFloat64(o + 32, true);
    const packets = view.getFloat64(o + 40, true);
    const duration = view.getFloat64(o + 48, true);
    if (!Number.isInteger(tsSec) || tsSec < 0 || tsNsec > 999_999_999 || !addr(src) || !addr(dst) || node >= nStrings || !direction || !kind || !good(bytes) || !good(packets) || !(Number.isNaN(duration) || good(duration))) {
      rejected++;
      continue;
    }
    const e: ConnectionEvent = {
      tsSec,
      tsNsec,
      srcIp: strings[src]!,
      dstIp: strings[dst]!,
      srcPort: view.getUint16(o + 24, true),
      dstPort: view.getUint16(o + 26, true),
      protocol: buf[o + 28]!,
      direction,
      bytes,
      packets,
      tcpFlags: buf[o + 31]!,
      kind,
      node: strings[node]!,
    };
    if (!Number.isNaN(duration)) e.durationSec = duration;
    events.push(e);
  }
  return { events, rejected, stats, statsNode };
}
