import type { ConnectionEvent, EventKind } from '@beacon/detector';
import type { SourceStats } from '../types.js';
import { ipv4Text, ipv6Text } from './ipText.js';
import type { Packet } from './packetDecoder.js';

/** Flow-table parameters (see `PcapOptions`). */
export interface FlowParams {
  idleGapSec: number;
  flowTimeoutSec: number;
  closedLingerSec: number;
  maxFlows: number;
  node: string;
}

/** One bidirectional flow. Endpoints are kept in the initiator's orientation (src sent first). */
class Flow {
  hash = 0;
  v6 = false;
  proto = 0;
  // Initiator (src) and responder (dst) address words and ports.
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
  srcIp = '';
  dstIp = '';
  packets = 0;
  bytes = 0;
  flags = 0;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  /** `lastSec + lastNsec / 1e9`, for gap and timeout comparisons. */
  lastT = 0;
  /** Ended by FIN/RST; kept as a tombstone to absorb the connection's last packets. */
  closed = false;
  /** Next flow with the same hash. */
  chain: Flow | undefined = undefined;
  /** Least-recently-active list: `older` towards the head, `newer` towards the tail. */
  older: Flow | undefined = undefined;
  newer: Flow | undefined = undefined;
}

const FIN_RST = 0x01 | 0x04;
const SYN_ACK = 0x02 | 0x10;

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * The flow logic the kernel program runs, in TypeScript: a bidirectional 5-tuple table that
 * emits `flow_start` for a flow's first packet, `burst` for the first packet after an idle gap,
 * and `flow_end` on the first FIN/RST, after `flowTimeoutSec` of silence (swept as packet
 * time advances), on eviction when `maxFlows` is reached, and at end of input.
 *
 * A flow ended by FIN/RST stays in the table as a tombstone for `closedLingerSec` of silence:
 * without it the peer's FIN and the final ACK, which follow the first FIN within a round
 * trip, would each open a "new" flow, and every closed connection would be counted twice
 * (measured on the test-cc capture: 596 flow starts for 297 connections).
 *
 * Lookups hash the 5-tuple to a number (no string per packet); strings are made per new flow.
 * Entries are kept in a least-recently-active list, so the timeout sweep and the eviction
 * when full both take the head in O(1).
 */
export class FlowTable {
  private readonly map = new Map<number, Flow>();
  private head: Flow | undefined;
  private tail: Flow | undefined;
  /** Entries, tombstones included (bounded by maxFlows). */
  private size = 0;
  private open = 0;
  private readonly p: FlowParams;
  private readonly stats: SourceStats;
  private readonly emit: (e: ConnectionEvent) => void;

  constructor(params: FlowParams, stats: SourceStats, emit: (e: ConnectionEvent) => void) {
    this.p = params;
    this.stats = stats;
    this.emit = emit;
  }

  /** Accounts one decoded TCP/UDP packet seen at `sec`.`nsec`. */
  add(pk: Packet, sec: number, nsec: number): void {
    const t = sec + nsec / 1e9;
    // Timeout sweep driven by packet time: the head is the least recently active flow.
    const { flowTimeoutSec, closedLingerSec } = this.p;
    for (let h = this.head; h !== undefined; h = this.head) {
      const idle = t - h.lastT;
      if (h.closed ? idle > closedLingerSec : idle > flowTimeoutSec) this.expire(h);
      else break;
    }
    // Canonical (order-independent) hash, so both directions find the same flow.
    const ha = mix(mix(mix(mix(0, pk.s0), pk.s1), pk.s2), pk.s3);
    const hb = mix(mix(mix(mix(0, pk.d0), pk.d1), pk.d2), pk.d3);
    const pa = mix(ha, pk.sport);
    const pb = mix(hb, pk.dport);
    const hash = mix((pa + pb) | 0, pa ^ pb ^ pk.proto);
    let f = this.map.get(hash);
    while (f !== undefined && !this.matches(f, pk)) f = f.chain;
    if (f !== undefined && f.closed) {
      // The closed connection's remaining packets (the peer's FIN, the last ACK, retransmissions)
      // are absorbed; a new SYN, or silence longer than the linger, starts a new flow.
      if ((pk.proto === 6 && (pk.flags & SYN_ACK) === 0x02) || t - f.lastT > closedLingerSec) {
        this.drop(f);
        f = undefined;
      } else {
        if (t > f.lastT) f.lastT = t;
        this.touch(f);
        return;
      }
    }
    if (f === undefined) {
      this.start(pk, hash, sec, nsec, t);
      return;
    }
    if (t - f.lastT >= this.p.idleGapSec) this.event(f, 'burst', sec, nsec, pk.payload, 1, pk.flags);
    f.packets++;
    f.bytes += pk.payload;
    f.flags |= pk.flags;
    if (t >= f.lastT) {
      f.lastSec = sec;
      f.lastNsec = nsec;
      f.lastT = t;
    }
    this.touch(f);
    if (f.proto === 6 && (pk.flags & FIN_RST) !== 0) this.end(f, 'closed');
  }

  /** Ends every open flow (end of input), oldest activity first. */
  endAll(): void {
    while (this.head !== undefined) {
      if (this.head.closed) this.drop(this.head);
      else this.end(this.head, 'endedAtEof');
    }
  }

  /** Removes the least recently active entry: a tombstone silently, an open flow with a `flow_end`. */
  private expire(f: Flow): void {
    if (f.closed) this.drop(f);
    else this.end(f, 'timedOut');
  }

  private matches(f: Flow, pk: Packet): boolean {
    if (f.proto !== pk.proto || f.v6 !== pk.v6) return false;
    if (f.s3 === pk.s3 && f.d3 === pk.d3 && f.sport === pk.sport && f.dport === pk.dport) {
      return f.s0 === pk.s0 && f.s1 === pk.s1 && f.s2 === pk.s2 && f.d0 === pk.d0 && f.d1 === pk.d1 && f.d2 === pk.d2;
    }
    if (f.s3 === pk.d3 && f.d3 === pk.s3 && f.sport === pk.dport && f.dport === pk.sport) {
      return f.s0 === pk.d0 && f.s1 === pk.d1 && f.s2 === pk.d2 && f.d0 === pk.s0 && f.d1 === pk.s1 && f.d2 === pk.s2;
    }
    return false;
  }

  private start(pk: Packet, hash: number, sec: number, nsec: number, t: number): void {
    if (this.size >= this.p.maxFlows && this.head !== undefined) {
      if (this.head.closed) this.drop(this.head);
      else this.end(this.head, 'evicted');
    }
    const f = new Flow();
    f.hash = hash;
    f.v6 = pk.v6;
    f.proto = pk.proto;
    f.s0 = pk.s0;
    f.s1 = pk.s1;
    f.s2 = pk.s2;
    f.s3 = pk.s3;
    f.d0 = pk.d0;
    f.d1 = pk.d1;
    f.d2 = pk.d2;
    f.d3 = pk.d3;
    f.sport = pk.sport;
    f.dport = pk.dport;
    f.srcIp = pk.v6 ? ipv6Text(pk.s0, pk.s1, pk.s2, pk.s3) : ipv4Text(pk.s3);
    f.dstIp = pk.v6 ? ipv6Text(pk.d0, pk.d1, pk.d2, pk.d3) : ipv4Text(pk.d3);
    f.packets = 1;
    f.bytes = pk.payload;
    f.flags = pk.flags;
    f.firstSec = f.lastSec = sec;
    f.firstNsec = f.lastNsec = nsec;
    f.lastT = t;
    f.chain = this.map.get(hash);
    this.map.set(hash, f);
    this.size++;
    this.open++;
    const flows = this.stats.flows;
    flows.open = this.open;
    if (this.open > flows.peak) flows.peak = this.open;
    this.append(f);
    this.event(f, 'flow_start', sec, nsec, pk.payload, 1, pk.flags);
    if (f.proto === 6 && (pk.flags & FIN_RST) !== 0) this.end(f, 'closed');
  }

  private end(f: Flow, why: 'closed' | 'timedOut' | 'evicted' | 'endedAtEof'): void {
    this.stats.flows[why]++;
    this.open--;
    this.stats.flows.open = this.open;
    if (why === 'closed' && this.p.closedLingerSec > 0) f.closed = true;
    else this.drop(f);
    const e = this.event(f, 'flow_end', f.lastSec, f.lastNsec, f.bytes, f.packets, f.flags);
    e.durationSec = f.lastSec - f.firstSec + (f.lastNsec - f.firstNsec) / 1e9;
  }

  private event(f: Flow, kind: EventKind, sec: number, nsec: number, bytes: number, packets: number, flags: number): ConnectionEvent {
    const e: ConnectionEvent = {
      tsSec: sec,
      tsNsec: nsec,
      srcIp: f.srcIp,
      dstIp: f.dstIp,
      srcPort: f.sport,
      dstPort: f.dport,
      protocol: f.proto,
      direction: 'unknown',
      bytes,
      packets,
      tcpFlags: flags,
      kind,
      node: this.p.node,
    };
    this.emit(e);
    return e;
  }

  /** Forgets an entry. */
  private drop(f: Flow): void {
    // Unlink from the hash chain.
    let c = this.map.get(f.hash);
    if (c === f) {
      if (f.chain === undefined) this.map.delete(f.hash);
      else this.map.set(f.hash, f.chain);
    } else {
      while (c !== undefined && c.chain !== f) c = c.chain;
      if (c !== undefined) c.chain = f.chain;
    }
    this.unlink(f);
    this.size--;
  }

  private append(f: Flow): void {
    f.older = this.tail;
    f.newer = undefined;
    if (this.tail !== undefined) this.tail.newer = f;
    else this.head = f;
    this.tail = f;
  }

  private unlink(f: Flow): void {
    if (f.older !== undefined) f.older.newer = f.newer;
    else this.head = f.newer;
    if (f.newer !== undefined) f.newer.older = f.older;
    else this.tail = f.older;
    f.older = f.newer = undefined;
  }

  private touch(f: Flow): void {
    if (this.tail === f) return;
    this.unlink(f);
    this.append(f);
  }
}
