import type { ConnectionEvent, EventKind } from '@beacon/detector';
import type { SourceStats } from '../types.js';
import { Ipv4TextCache, ipv6Text } from '@beacon/detector';
import type { Packet } from './packetDecoder.js';
import { FlowSlots } from './flowSlots.js';
import { eventBits, type RowWriter } from '../columns.js';
import { DNS_PORT, FlowNames, PENDING_MAX_PACKETS } from './flowNames.js';
import { NameParse } from '../names/nameParse.js';
import { FIRST_BYTES_MAX, FirstBytes, Segment } from './firstBytes.js';
import { TLS_HANDSHAKE } from '../names/parseClientHelloSni.js';

/** Flow-table parameters (see `PcapOptions`). */
export interface FlowParams {
  idleGapSec: number;
  flowTimeoutSec: number;
  closedLingerSec: number;
  maxFlows: number;
  node: string;
  /** Learn server names (SNI, HTTP Host, DNS answers); off keeps the plain address flow logic. */
  names: boolean;
  /** Bound of the DNS name table. */
  maxDnsNames: number;
}

/** A new TCP flow whose `flow_start` waits for the first client payload (its server name). */
interface Pending {
  bytes: number;
  flags: number;
  /** Packets of the flow seen while pending. */
  seen: number;
  /** The client's initial sequence number (its SYN's). */
  isn: number;
  /** The first client payload reassembled, once one segment was not enough (or came out of order). */
  first: FirstBytes | undefined;
}

const FIN_RST = 0x01 | 0x04;
/** Flows reassembling a first client payload at once (at most 16 KiB each: 64 MiB in all); more start unnamed, counted. */
const MAX_REASSEMBLING = 4096;
const SYN_ACK = 0x02 | 0x10;
const NONE = -1;

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * The flow logic the kernel program runs, in TypeScript: a bidirectional 5-tuple table that
 * emits `flow_start` for a flow's first packet, `burst` for the first packet after an idle gap,
 * and `flow_end` on the first FIN/RST, after `flowTimeoutSec` of silence (swept as packet
 * time advances), on eviction when `maxFlows` is reached, and at end of input. Endpoints are
 * kept in the initiator's orientation: the sender of the first packet seen is the event's src.
 *
 * A flow ended by FIN/RST stays in the table as a tombstone for `closedLingerSec` of silence:
 * without it the peer's FIN and the final ACK, which follow the first FIN within a round
 * trip, would each open a "new" flow, and every closed connection would be counted twice
 * (measured on the test-cc capture: 596 flow starts for 297 connections).
 *
 * Flows live in typed-array slots ({@link FlowSlots}), found through a numeric hash of the
 * 5-tuple, so the per-packet path allocates nothing; address text is made once per new flow.
 * Slots are linked least-recently-active first, so the timeout sweep and the eviction when
 * full both take the head in O(1).
 */
export class FlowTable {
  private readonly t: FlowSlots = new FlowSlots();
  private readonly v4Text: Ipv4TextCache = new Ipv4TextCache();
  private head = NONE;
  private tail = NONE;
  /** Slots in use, tombstones included (bounded by maxFlows). */
  private size = 0;
  private open = 0;
  private readonly p: FlowParams;
  private readonly stats: SourceStats;
  private readonly emit: (e: ConnectionEvent) => void;
  /** Set: events are written here as rows (no event objects), with this node id. */
  private readonly writer: RowWriter<unknown> | undefined;
  private readonly nodeId: number;
  private readonly names: FlowNames | undefined;
  /** New TCP flows waiting for their first client payload, by slot (bounded by maxFlows). */
  private readonly pending = new Map<number, Pending>();
  /** Pending flows reassembling their first client payload (each holds at most FIRST_BYTES_MAX). */
  private reassembling = 0;
  /** First-packet time of the oldest pending flow (Infinity when none). */
  private pendingOldest = Infinity;

  /** Events go to `emit` as objects, or, with `writer`, into the writer as rows. */
  constructor(params: FlowParams, stats: SourceStats, emit: (e: ConnectionEvent) => void, writer?: RowWriter<unknown>) {
    this.p = params;
    this.stats = stats;
    this.emit = emit;
    this.writer = writer;
    this.nodeId = writer === undefined ? 0 : writer.stringId(params.node);
    this.names = params.names ? new FlowNames(stats, params.maxDnsNames) : undefined;
  }

  /**
   * Accounts one decoded TCP/UDP packet seen at `sec`.`nsec`; `buf` holds the frame the packet
   * was decoded from (its payload is read for server names).
   */
  add(pk: Packet, sec: number, nsec: number, buf?: Buffer): void {
    // The packet's time as a number stays in this function: callees get the two integers and
    // add them up themselves, because a fractional number passed to a function is boxed, which
    // here was one heap number per packet.
    const time = sec + nsec / 1e9;
    const t = this.t;
    const names = this.names;
    if (names !== undefined && buf !== undefined && pk.proto === 17 && pk.sport === DNS_PORT && pk.payloadCaptured > 0) {
      names.dnsPayload(buf, pk.payloadAt, pk.payloadAt + pk.payloadCaptured, sec + nsec / 1e9);
    }
    // Pending flows whose client stayed silent for idleGapSec get their flow_start now, unnamed,
    // so events stay close to packet order.
    if (time - this.pendingOldest >= this.p.idleGapSec) this.sweepPending(sec, nsec);
    // Timeout sweep driven by packet time: the head is the least recently active slot.
    const { flowTimeoutSec, closedLingerSec } = this.p;
    while (this.head !== NONE) {
      const h = this.head;
      const idle = time - (t.lastT[h] as number);
      if (t.closed[h] === 1 ? idle > closedLingerSec : idle > flowTimeoutSec) this.expire(h);
      else break;
    }
    // Canonical (order-independent) hash, so both directions find the same slot.
    const pa = mix(mix(mix(mix(mix(0, pk.s0), pk.s1), pk.s2), pk.s3), pk.sport);
    const pb = mix(mix(mix(mix(mix(0, pk.d0), pk.d1), pk.d2), pk.d3), pk.dport);
    const hash = mix((pa + pb) | 0, pa ^ pb ^ pk.proto);
    let f = t.find(hash, pk);
    if (f !== NONE && t.closed[f] === 1) {
      // The closed connection's remaining packets (the peer's FIN, the last ACK, retransmissions)
      // are absorbed; a new SYN, or silence longer than the linger, starts a new flow.
      if ((pk.proto === 6 && (pk.flags & SYN_ACK) === 0x02) || time - (t.lastT[f] as number) > closedLingerSec) {
        this.drop(f);
        f = NONE;
      } else {
        if (time > (t.lastT[f] as number)) t.lastT[f] = time;
        this.touch(f);
        return;
      }
    }
    if (f === NONE) {
      this.start(pk, hash, sec, nsec);
      return;
    }
    // (a flag per slot: most packets belong to no pending flow, and cost no map lookup)
    if (t.waiting[f] === 1) this.feedPending(f, this.pending.get(f) as Pending, pk, sec, nsec, buf);
    if (time - (t.lastT[f] as number) >= this.p.idleGapSec) this.event(f, 'burst', sec, nsec, pk.payload, 1, pk.flags);
    t.packets[f] = (t.packets[f] as number) + 1;
    t.bytes[f] = (t.bytes[f] as number) + pk.payload;
    t.flags[f] = (t.flags[f] as number) | pk.flags;
    if (time >= (t.lastT[f] as number)) {
      t.lastSec[f] = sec;
      t.lastNsec[f] = nsec;
      t.lastT[f] = time;
    }
    this.touch(f);
    if (pk.proto === 6 && (pk.flags & FIN_RST) !== 0) this.end(f, 'closed');
  }

  /** Emits the `flow_start` of every flow still waiting for its first client payload (end of input). */
  flushPending(): void {
    for (const [f, pd] of this.pending) this.resolve(f, pd, undefined);
  }

  /**
   * Ends open flows (end of input), oldest activity first: all of them, or at most `limit`
   * (so a reader can hand their events on in batches). True while some remain.
   */
  endAll(limit: number = Infinity): boolean {
    for (let n = 0; this.head !== NONE && n < limit; n++) {
      if (this.t.closed[this.head] === 1) this.drop(this.head);
      else this.end(this.head, 'endedAtEof');
    }
    return this.head !== NONE;
  }

  /** Removes the least recently active slot: a tombstone silently, an open flow with a `flow_end`. */
  private expire(f: number): void {
    if (this.t.closed[f] === 1) this.drop(f);
    else this.end(f, 'timedOut');
  }

  private start(pk: Packet, hash: number, sec: number, nsec: number): void {
    const time = sec + nsec / 1e9;
    if (this.size >= this.p.maxFlows && this.head !== NONE) this.expireForRoom(this.head);
    const t = this.t;
    const f = t.alloc(hash, pk);
    const w = this.writer;
    if (w === undefined || pk.v6) {
      const src = pk.v6 ? ipv6Text(pk.s0, pk.s1, pk.s2, pk.s3) : this.v4Text.get(pk.s3);
      const dst = pk.v6 ? ipv6Text(pk.d0, pk.d1, pk.d2, pk.d3) : this.v4Text.get(pk.d3);
      t.srcIp[f] = src;
      t.dstIp[f] = dst;
      if (w !== undefined) {
        t.srcId[f] = w.ipId(src);
        t.dstId[f] = w.ipId(dst);
      }
    } else {
      // ids from the 32 bits; the text (the writer's own string) only where names need it
      t.srcId[f] = w.ipv4Id(pk.s3);
      t.dstId[f] = w.ipv4Id(pk.d3);
      t.srcIp[f] = undefined;
      t.dstIp[f] = this.names === undefined ? undefined : this.v4Text.get(pk.d3);
    }
    t.packets[f] = 1;
    t.bytes[f] = pk.payload;
    t.flags[f] = pk.flags;
    t.firstSec[f] = t.lastSec[f] = sec;
    t.firstNsec[f] = t.lastNsec[f] = nsec;
    t.lastT[f] = time;
    t.closed[f] = 0;
    this.size++;
    this.open++;
    const flows = this.stats.flows;
    flows.open = this.open;
    if (this.open > flows.peak) flows.peak = this.open;
    this.append(f);
    if (this.names !== undefined) {
      if (pk.proto === 6 && (pk.flags & (SYN_ACK | FIN_RST)) === 0x02) {
        // A new TCP connection: its flow_start waits for the client's first payload.
        this.pending.set(f, { bytes: pk.payload, flags: pk.flags, seen: 1, isn: pk.seq, first: undefined });
        t.waiting[f] = 1;
        if (time < this.pendingOldest) this.pendingOldest = time;
        return;
      }
      t.name[f] = this.names.dnsName(t.dstIp[f] as string, time);
    }
    this.event(f, 'flow_start', sec, nsec, pk.payload, 1, pk.flags);
    if (pk.proto === 6 && (pk.flags & FIN_RST) !== 0) this.end(f, 'closed');
  }

  /** Looks at a packet of a pending flow: its first client payload names it; else wait, bounded. */
  private feedPending(f: number, pd: Pending, pk: Packet, sec: number, nsec: number, buf: Buffer | undefined): void {
    const time = sec + nsec / 1e9;
    const t = this.t;
    const names = this.names as FlowNames;
    pd.seen++;
    const fromClient = t.ports[f] === ((pk.sport << 16) | pk.dport);
    if (fromClient && pk.payloadCaptured > 0 && buf !== undefined) {
      const at = pk.payloadAt;
      const end = at + pk.payloadCaptured;
      let first = pd.first;
      // Offset of this segment in the client's payload (its SYN's sequence + 1 is offset 0).
      const off = (pk.seq - pd.isn - 1) >>> 0;
      if (first === undefined && (off === 0 || off >= FIRST_BYTES_MAX)) {
        // The usual case: the first segment, in order. Parsed in place, no copy. So is a first
        // segment far outside the window (a capture whose tool rewrote or never set sequence
        // numbers): reassembly would take it as the payload's start too (see FirstBytes.add).
        const result = names.firstPayload(buf, at, end);
        if (result.status !== NameParse.NeedMore) {
          this.resolve(f, pd, names.settle(result, buf[at] === TLS_HANDSHAKE));
          return;
        }
      }
      // Spans segments, or arrived out of order: reassemble by sequence number, bounded.
      if (first === undefined) {
        if (this.reassembling >= MAX_REASSEMBLING) {
          this.stats.names.unfinished++;
          this.resolve(f, pd, undefined);
          return;
        }
        first = pd.first = new FirstBytes(pd.isn);
        this.reassembling++;
      }
      const seg = first.add(pk.seq, buf, at, end);
      if (seg === Segment.Ahead) this.stats.names.segmentsOutOfOrder++;
      else if (seg === Segment.Repeated) this.stats.names.segmentsRepeated++;
      if (seg === Segment.Grew) {
        const data = first.prefix();
        const result = names.firstPayload(data, 0, data.length);
        if (result.status !== NameParse.NeedMore || first.full) {
          this.resolve(f, pd, names.settle(result, data[0] === TLS_HANDSHAKE, first.segments));
          return;
        }
      } else if (first.full) {
        const data = first.prefix();
        this.resolve(f, pd, names.settle(data.length > 0 ? names.firstPayload(data, 0, data.length) : { status: NameParse.NeedMore }, data[0] === TLS_HANDSHAKE, first.segments));
        return;
      }
      if (time - (t.firstSec[f] as number) - (t.firstNsec[f] as number) / 1e9 >= this.p.idleGapSec) this.resolve(f, pd, undefined);
      return;
    }
    // Waiting for the first client payload: a few packets at most. Reassembling: the bounds of FirstBytes.
    if ((pd.first === undefined && pd.seen >= PENDING_MAX_PACKETS) || time - (t.lastT[f] as number) >= this.p.idleGapSec) this.resolve(f, pd, undefined);
  }

  private sweepPending(sec: number, nsec: number): void {
    const time = sec + nsec / 1e9;
    const t = this.t;
    let oldest = Infinity;
    for (const [f, pd] of this.pending) {
      const firstT = (t.firstSec[f] as number) + (t.firstNsec[f] as number) / 1e9;
      if (time - firstT < this.p.idleGapSec) {
        // Insertion order is first-packet order: the rest are younger.
        oldest = firstT;
        break;
      }
      this.resolve(f, pd, undefined);
    }
    this.pendingOldest = oldest;
  }

  /** Emits a pending flow's `flow_start` (at its first packet's time), named if a name was found. */
  private resolve(f: number, pd: Pending, name: string | undefined): void {
    const t = this.t;
    this.pending.delete(f);
    t.waiting[f] = 0;
    if (pd.first !== undefined) {
      pd.first = undefined;
      this.reassembling--;
    }
    if (this.pending.size === 0) this.pendingOldest = Infinity;
    const firstT = (t.firstSec[f] as number) + (t.firstNsec[f] as number) / 1e9;
    t.name[f] = name ?? this.names?.dnsName(t.dstIp[f] as string, firstT);
    this.event(f, 'flow_start', t.firstSec[f] as number, t.firstNsec[f] as number, pd.bytes, 1, pd.flags);
  }

  private expireForRoom(f: number): void {
    if (this.t.closed[f] === 1) this.drop(f);
    else this.end(f, 'evicted');
  }

  private end(f: number, why: 'closed' | 'timedOut' | 'evicted' | 'endedAtEof'): void {
    const t = this.t;
    if (t.waiting[f] === 1) this.resolve(f, this.pending.get(f) as Pending, undefined);
    this.stats.flows[why]++;
    this.open--;
    this.stats.flows.open = this.open;
    // the duration as whole seconds and nanoseconds (nanoseconds may be negative): the same sum as a number
    this.event(f, 'flow_end', t.lastSec[f] as number, t.lastNsec[f] as number, t.bytes[f] as number, t.packets[f] as number, t.flags[f] as number, (t.lastSec[f] as number) - (t.firstSec[f] as number), (t.lastNsec[f] as number) - (t.firstNsec[f] as number));
    if (why === 'closed' && this.p.closedLingerSec > 0) t.closed[f] = 1;
    else this.drop(f);
  }

  /** Emits an event of flow `f`; `durSec` >= 0: its duration is `durSec + durNsec / 1e9`. */
  private event(f: number, kind: EventKind, sec: number, nsec: number, bytes: number, packets: number, flags: number, durSec = -1, durNsec = 0): void {
    const t = this.t;
    const ports = t.ports[f] as number;
    const name = t.name[f];
    const w = this.writer;
    if (w !== undefined) {
      const stats = this.stats;
      stats.events++;
      stats.eventsByKind[kind]++;
      const bits = eventBits(kind, 'unknown', undefined, undefined, undefined);
      w.row(sec, nsec, t.srcId[f] as number, t.dstId[f] as number, ports >>> 16, ports & 0xffff, t.proto[f] as number, bytes, packets, durSec, durNsec, flags, bits, this.nodeId, name === undefined ? -1 : w.stringId(name));
      return;
    }
    const e: ConnectionEvent = {
      tsSec: sec,
      tsNsec: nsec,
      srcIp: t.srcIp[f] as string,
      dstIp: t.dstIp[f] as string,
      srcPort: ports >>> 16,
      dstPort: ports & 0xffff,
      protocol: t.proto[f] as number,
      direction: 'unknown',
      bytes,
      packets,
      tcpFlags: flags,
      kind,
      node: this.p.node,
    };
    if (name !== undefined) e.serverName = name;
    if (durSec >= 0) e.durationSec = durSec + durNsec / 1e9;
    this.emit(e);
  }

  /** Forgets a slot. */
  private drop(f: number): void {
    if (this.t.waiting[f] === 1 && this.pending.delete(f) && this.pending.size === 0) this.pendingOldest = Infinity;
    this.unlink(f);
    this.t.release(f);
    this.size--;
  }

  private append(f: number): void {
    const t = this.t;
    t.older[f] = this.tail;
    t.newer[f] = NONE;
    if (this.tail !== NONE) t.newer[this.tail] = f;
    else this.head = f;
    this.tail = f;
  }

  private unlink(f: number): void {
    const t = this.t;
    const older = t.older[f] as number;
    const newer = t.newer[f] as number;
    if (older !== NONE) t.newer[older] = newer;
    else this.head = newer;
    if (newer !== NONE) t.older[newer] = older;
    else this.tail = older;
  }

  private touch(f: number): void {
    if (this.tail === f) return;
    this.unlink(f);
    this.append(f);
  }
}
